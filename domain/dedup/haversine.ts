const EARTH_RADIUS_M = 6_371_008.8; // mean radius (IUGG)

/** Great-circle distance in metres between two WGS-84 points given as degrees. */
export function haversineMetres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A lat/lng box holding every point within `metres` of the centre: a cheap SQL pre-filter. */
export function boundingBox(centre: { lat: number; lng: number }, metres: number): { minLat: number; maxLat: number; minLng: number; maxLng: number } {
  const dLat = (metres / EARTH_RADIUS_M) * (180 / Math.PI);
  const dLng = dLat / Math.max(0.01, Math.cos((centre.lat * Math.PI) / 180));
  return { minLat: centre.lat - dLat, maxLat: centre.lat + dLat, minLng: centre.lng - dLng, maxLng: centre.lng + dLng };
}
