/**
 * form-js in Chinese. form-js 1.23 has no translation service: its validator returns English sentences and
 * its widgets (and the whole editor) draw fixed English text. So:
 * - `formValidationZh`, a form-js module, rewrites the validator's messages (what the viewer shows under a
 *   field and what `submit()` returns), one sentence per rule with its limit;
 * - `FORM_VIEWER_ZH` / `FORM_EDITOR_ZH` are the widgets' phrases for translateDom (dom-translate.ts).
 * English pages use none of these: form-js's own English stays.
 */
import type { Dictionary } from './dom-translate.js';

/** The validator's English sentences (form-js-viewer 1.23, runPresetValidation / runNumberValidation) → Chinese. */
const VALIDATION: Array<[RegExp, (...g: string[]) => string]> = [
  [/^Field is required\.$/, () => '此项为必填项。'],
  [/^Field must match pattern .*\.$/s, () => '格式不符合要求。'],
  [/^Field must have minimum value of (.+)\.$/, (n) => `不能小于 ${n}。`],
  [/^Field must have maximum value of (.+)\.$/, (n) => `不能大于 ${n}。`],
  [/^Field must have minimum length of (.+)\.$/, (n) => `至少 ${n} 个字符。`],
  [/^Field must have maximum length of (.+)\.$/, (n) => `最多 ${n} 个字符。`],
  [/^Field must be a valid +international phone number.*$/, () => '请填写有效的国际格式电话号码（如 +8687431000001）。'],
  [/^Field must be a valid email\.$/, () => '请填写有效的电子邮箱地址。'],
  [/^Value is not a number\.$/, () => '请填写数字。'],
  [/^Value is expected to be an integer\.$/, () => '请填写整数。'],
  [/^Value is expected to have at most (\d+) decimal digits?\.$/, (n) => `最多 ${n} 位小数。`],
  [/^Please select a valid value, the two nearest valid values are (.+) and (.+)\.$/, (a, b) => `请填写有效的值，最接近的两个有效值是 ${a} 和 ${b}。`],
  [/^Min validation value is not a valid number\.$/, () => '最小值设置不是有效数字。'],
  [/^Max validation value is not a valid number\.$/, () => '最大值设置不是有效数字。'],
];

export function validationMessageZh(message: string): string {
  for (const [re, to] of VALIDATION) {
    const m = re.exec(message);
    if (m) return to(...m.slice(1));
  }
  return message;
}

interface Validator {
  validateField(field: unknown, value: unknown): string[];
  validateFieldInstance(fieldInstance: unknown, value: unknown): string[];
}

/** Wraps the form's validator so its messages come out in Chinese (both entry points the viewer uses). */
function ZhValidation(validator: Validator): void {
  const field = validator.validateField.bind(validator);
  const instance = validator.validateFieldInstance.bind(validator);
  validator.validateField = (f, v) => field(f, v).map(validationMessageZh);
  validator.validateFieldInstance = (f, v) => instance(f, v).map(validationMessageZh);
}
ZhValidation.$inject = ['validator'];

export const formValidationZh = { __init__: ['zhValidation'], zhValidation: ['type', ZhValidation] };

/** Field types as the palette and the properties panel's header name them. */
const FIELD_TYPES: Record<string, string> = {
  'Text field': '单行文本',
  'Text area': '多行文本',
  Number: '数字',
  'Date time': '日期时间',
  Datetime: '日期时间',
  Expression: '表达式',
  'File picker': '文件选择',
  Checkbox: '复选框',
  'Checkbox group': '复选框组',
  'Radio group': '单选按钮组',
  Radio: '单选按钮组',
  Select: '下拉选择',
  'Tag list': '标签列表',
  'Text view': '文本',
  'Image view': '图片',
  Table: '表格',
  'Document preview': '文档预览',
  Spacer: '间隔',
  Separator: '分隔线',
  Group: '分组',
  'Dynamic list': '动态列表',
  iFrame: '内嵌网页',
  'HTML view': 'HTML 视图',
  'Html view': 'HTML 视图',
  Button: '按钮',
  Form: '表单',
  Default: '默认',
};

export const FORM_VIEWER_ZH: Dictionary = {
  exact: {
    Search: '搜索',
    Select: '请选择',
    Browse: '浏览',
    'Nothing to show.': '没有可显示的内容。',
    'Skip to search': '跳到搜索',
    'Remove tag': '删除标签',
    'No files selected': '未选择文件',
    'No options': '没有选项',
    'No results': '没有结果',
    Date: '日期',
    Time: '时间',
    Submit: '提交',
    Reset: '重置',
    'Add new': '新增',
    Remove: '删除',
    Expand: '展开',
    Collapse: '收起',
    'Clear selection': '清除选择',
    'Previous page': '上一页',
    'Next page': '下一页',
    'Nothing to display.': '没有可显示的内容。',
  },
  patterns: [...VALIDATION, [/^(\d+) files? selected$/, (n) => `已选择 ${n} 个文件`], [/^Page (\d+) of (\d+)$/, (a, b) => `第 ${a} 页，共 ${b} 页`]],
};

/** The editor: palette, empty states, the properties panel's groups, entries, hints and buttons. */
export const FORM_EDITOR_ZH: Dictionary = {
  exact: {
    ...FORM_VIEWER_ZH.exact,
    ...FIELD_TYPES,
    // palette
    Components: '组件',
    'Search components': '搜索组件',
    'No components found.': '没有找到组件。',
    Input: '输入',
    Selection: '选择',
    Presentation: '展示',
    Containers: '容器',
    Action: '操作',
    'Build your form': '设计您的表单',
    'Drag and drop components here to start designing.': '把组件拖放到这里开始设计。',
    'Drag and drop components here.': '把组件拖放到这里。',
    'Use the preview window to test your form.': '用预览窗口测试您的表单。',
    'Create a': '创建',
    element: '元素',
    'Create new list item': '新建列表项',
    Create: '新建',
    'Delete item': '删除项',
    'Toggle list item': '展开/收起列表项',
    'Toggle section': '展开/收起分组',
    'Section contains edits': '分组内有修改',
    'Section contains an error': '分组内有错误',
    'Open documentation': '打开文档',
    'Learn more': '了解更多',
    'Select a form field to edit its properties.': '选择一个表单字段以编辑其属性。',
    'Multiple form fields are selected. Select a single form field to edit its properties.': '选中了多个表单字段。请只选择一个字段以编辑其属性。',
    'Clear content': '清除内容',
    Repeatable: '可重复',
    'Opened in editor': '已在编辑器中打开',
    'Opened in popup': '已在弹窗中打开',
    'Click to set dynamic with expression': '点击改用表达式动态设置',
    'Click to remove dynamic value': '点击移除动态值',
    'Start typing "=" to create an expression.': '输入 "=" 开始写表达式。',
    'Start typing "{{" to create a template.': '输入 "{{" 开始写模板。',
    'Supports markdown and templating.': '支持 Markdown 和模板。',
    'Supports markdown and templating': '支持 Markdown 和模板',
    // properties panel: groups
    General: '常规',
    Condition: '条件',
    Layout: '布局',
    Validation: '校验',
    'Custom properties': '自定义属性',
    Appearance: '外观',
    Constraints: '约束',
    Serialization: '序列化',
    'Options source': '选项来源',
    'Static options': '固定选项',
    'Dynamic options': '动态选项',
    'Options expression': '选项表达式',
    'Security attributes': '安全属性',
    'Form submission': '表单提交',
    'Data source': '数据源',
    'Header items': '表头项',
    'Headers source': '表头来源',
    Pagination: '分页',
    Content: '内容',
    // properties panel: entries
    'Field label': '字段标签',
    Label: '标签',
    Key: '键',
    ID: 'ID',
    'Field description': '字段说明',
    Description: '说明',
    'Default value': '默认值',
    Disabled: '禁用',
    'Read only': '只读',
    Required: '必填',
    Searchable: '可搜索',
    Text: '文本',
    Value: '值',
    Type: '类型',
    Path: '路径',
    Columns: '列',
    Column: '列',
    Auto: '自动',
    Custom: '自定义',
    'Hide if': '隐藏条件',
    'Minimum length': '最小长度',
    'Maximum length': '最大长度',
    Minimum: '最小值',
    Maximum: '最大值',
    'Validation pattern': '校验规则',
    'Custom regular expression': '自定义正则表达式',
    'Custom error message': '自定义错误提示',
    Email: '电子邮箱',
    Phone: '电话',
    'Decimal digits': '小数位数',
    Increment: '步长',
    'Output as string': '以字符串输出',
    Prefix: '前缀',
    Suffix: '后缀',
    Subtype: '子类型',
    'Date label': '日期标签',
    'Time label': '时间标签',
    'Use 24h': '24 小时制',
    'Time format': '时间格式',
    'Time interval': '时间间隔',
    'Disallow past dates': '不允许过去的日期',
    'Allow add/delete items': '允许增删项',
    'Default number of items': '默认项数',
    'Disable collapse': '不折叠',
    'Number of non-collapsing items': '不折叠的项数',
    'Number of rows per page': '每页行数',
    'Show outline': '显示边框',
    'Vertical alignment': '垂直对齐',
    Top: '顶部',
    Center: '居中',
    Bottom: '底部',
    'Image source': '图片来源',
    'Alternative text': '替代文字',
    Height: '高度',
    URL: 'URL',
    'Upload multiple files': '允许多个文件',
    'Supported file formats': '支持的文件格式',
    'Compute on': '计算时机',
    'Value changes': '值变化时',
    Checked: '已勾选',
    'Not checked': '未勾选',
    'Target value': '目标值',
    'Input values key': '选项变量名',
    'List of items': '项目列表',
    'Document reference': '文档引用',
    'Max height of preview container': '预览区最大高度',
    'Version tag': '版本标签',
    'Expression or static value (link/data URI)': '表达式或固定值（链接或 data URI）',
    '<none>': '<无>',
    '<empty>': '<空>',
    None: '无',
    Static: '固定',
    'Input data': '输入数据',
    'Expression ': '表达式',
    'Column 1': '第 1 列',
    'Column 2': '第 2 列',
    'Column 3': '第 3 列',
    Remove: '删除',
    Delete: '删除',
    Hide: '隐藏',
    'Binds to a form variable': '绑定到表单变量',
    'Define an expression to calculate the value of this field': '定义计算此字段值的表达式',
    'Define which input property to populate the values from': '指定从哪个输入变量读取选项',
    'Define an expression to populate the options from.': '定义生成选项的表达式。',
    'Descriptive text for screen reader accessibility.': '供读屏软件使用的说明文字。',
    'Height of the container in pixels.': '容器高度（像素）。',
    'Where the child variables of this component are pathed to.': '此组件的子变量存放的路径。',
    'The error message to display when the input does not match the regular expression.': '输入不符合正则表达式时显示的错误提示。',
    'Add properties directly to the form schema, useful to configure functionality in custom-built task applications and form renderers.':
      '直接添加到表单定义中的属性，供定制的任务应用和表单渲染器使用。',
    'Disable this field when it should not be interactive for end-users. Its data will not be submitted. This setting takes precedence over read-only.':
      '字段不应由用户操作时禁用它；其数据不会提交。此设置优先于只读。',
    'Make this field read-only when it cannot be edited by the end-user, but its content is important for them to see. Its data will still be submitted.':
      '用户不能修改但需要看到内容时设为只读；其数据仍会提交。',
    'Allows arbitrary precision values': '允许任意精度的数值',
    'Link referring to a hosted image, or use a data URI directly to embed image data into the form.': '指向图片的链接，或直接用 data URI 嵌入图片数据。',
    'Version tag by which this form can be referenced.': '可用来引用此表单的版本标签。',
    'Specify an expression to populate column items': '指定生成列的表达式',
    'Specify the source from which to populate the table': '指定表格数据的来源',
    'Enter a form input variable that contains the data for the table or define an expression to populate the data dynamically.':
      '填写包含表格数据的表单输入变量，或定义动态生成数据的表达式。',
    'Click to set a dynamic value with FEEL expression': '点击改用 FEEL 表达式动态设置',
    'Condition under which the field is hidden': '隐藏此字段的条件',
    'FEEL expression is mandatory': '必须填写 FEEL 表达式',
    'Key must not be empty.': '键不能为空。',
    'Must not contain spaces.': '不能包含空格。',
    'Must be unique.': '不能重复。',
    'Must not be empty.': '不能为空。',
  },
  patterns: [
    ...(FORM_VIEWER_ZH.patterns ?? []),
    [/^Remove (.+)$/, (type) => `删除${FIELD_TYPES[type] ?? type}`],
    [/^(.+) is templated$/, (type) => `${FIELD_TYPES[type] ?? type}（模板）`],
    [/^List contains (\d+) items?$/, (n) => `列表共 ${n} 项`],
    [/^Create an? (.+) element$/, (type) => `创建${FIELD_TYPES[type] ?? type}`],
    [/^(.+) \(ID: (.+)\)$/, (a, b) => `${FIELD_TYPES[a] ?? a}（ID：${b}）`],
  ],
};
