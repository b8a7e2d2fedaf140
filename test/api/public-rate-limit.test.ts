import { expect } from 'chai';
import { Cases } from '../support/tables.js';
import { testPng } from '../support/test-images.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

const png = () => testPng();

describe('REST API: one public rate budget per address, JSON and multipart alike', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  before(async () => {
    api = await openApiWorld({ publicPerMinute: 3 });
  });
  after(() => api.close());

  const json = (n: number) => api.call('POST', '/public/reports', { body: { description: `第${n}条：路灯不亮`, lat: 25.6, lng: 103.8 } });
  const multipart = async (n: number) => {
    const form = new FormData();
    form.set('description', `第${n}条：井盖缺失（附照片）`);
    form.set('lat', '25.6');
    form.set('lng', '103.8');
    form.append('photos', new Blob([png()], { type: 'image/png' }), 'p.png');
    const res = await fetch(`${api.base}/public/reports`, { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('given a budget of 3 a minute, when two JSON reports and one with photos are filed, then the next of either kind is 429 and files nothing', async () => {
    expect((await json(1)).status).to.equal(201);
    expect((await multipart(2)).status).to.equal(201);
    expect((await json(3)).status).to.equal(201);
    const before = await Cases.count();
    for (const over of [await multipart(4), await json(5)]) {
      expect(over.status).to.equal(429);
      expect(over.body['code']).to.equal('rate_limited');
    }
    expect(await Cases.count()).to.equal(before);
  });
});
