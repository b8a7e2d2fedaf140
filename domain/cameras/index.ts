/** AI cameras: the device registry (place, detected event types, hashed keys) and event intake with repeat merging. */
export {
  createCamera,
  deleteCamera,
  getCamera,
  hashDeviceKey,
  keyMatches,
  listCameras,
  rotateCameraKey,
  updateCamera,
  type CameraInput,
  type CameraView,
} from './devices.js';
export { authenticateDevice, ingestCameraEvents, type CameraEventInput, type EventOutcome, type EventResult, type RefusalCode } from './ingest.js';
