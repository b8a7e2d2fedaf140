import { addMessages } from '../shared/i18n.js';

addMessages({
  zh: {
    'fd.photos': '现场照片', 'fd.photos.hint': '可拍照或从相册选，最多 6 张',
    'fd.where': '位置', 'fd.locate': '获取当前位置', 'fd.locating': '正在定位…', 'fd.located': '已定位：{lat}, {lng}',
    'fd.locate.failed': '定位失败（{reason}），请手动填写地址或坐标', 'fd.address': '地址（定位不了时填写）', 'fd.lat': '纬度', 'fd.lng': '经度',
    'fd.type': '事件类型', 'fd.type.choose': '请选择事件类型', 'fd.description': '情况描述',
    'fd.self': '自处置（已在现场处理好）', 'fd.result': '现场处置情况',
    'fd.submit': '上报', 'fd.submit.self': '上报并办结',
    'fd.need.type': '请选择事件类型', 'fd.need.description': '请填写情况描述', 'fd.need.where': '请定位或填写地址', 'fd.need.result': '请填写现场处置情况',
    'fd.filed': '已上报：案卷 {caseNo}', 'fd.closed': '已自处置办结：案卷 {caseNo}',
    'fd.mine': '我最近的上报', 'fd.mine.none': '暂无上报',
  },
  en: {
    'fd.photos': 'Photos', 'fd.photos.hint': 'Take photos or pick them, at most 6',
    'fd.where': 'Position', 'fd.locate': 'Use my position', 'fd.locating': 'Locating…', 'fd.located': 'Located: {lat}, {lng}',
    'fd.locate.failed': 'No position ({reason}): type the address or coordinates', 'fd.address': 'Address (when positioning fails)', 'fd.lat': 'Latitude', 'fd.lng': 'Longitude',
    'fd.type': 'Event type', 'fd.type.choose': 'Choose the event type', 'fd.description': 'What you see',
    'fd.self': 'Fixed on the spot (self-handled)', 'fd.result': 'What was done',
    'fd.submit': 'Report', 'fd.submit.self': 'Report and close',
    'fd.need.type': 'Choose the event type', 'fd.need.description': 'Describe what you see', 'fd.need.where': 'Locate or type the address', 'fd.need.result': 'Say what was done on the spot',
    'fd.filed': 'Reported: case {caseNo}', 'fd.closed': 'Self-handled and closed: case {caseNo}',
    'fd.mine': 'My recent reports', 'fd.mine.none': 'No reports yet',
  },
});
