"""Puts an explicit merging exclusive gateway in front of an activity or event that several flows enter
(bpmnlint's `fake-join`: "Incoming flows do not join"), and redraws only what that touches.

usage: python3 processes/tools/insert-join.py processes/case-x.bpmn <elementId> [x0]

The process part gets `<elementId>Join` (an exclusive gateway taking every incoming flow of the element) and
the flow `<elementId>Joined` from it to the element. The diagram opens a 90 px wide gap at x0 (default: 20 px
left of the element): every shape whose left edge is at or right of x0 (and every boundary event on such a
host) and every waypoint and label at or right of x0 move right by 90, which keeps edges orthogonal. The
gateway sits in the gap, level with the element; flows that entered the element from the left now enter the
gateway from the left, those from below or above enter it from below or above. A shape that straddles x0 is
refused (pick another x0). test/processes/diagram-layout.test.ts checks the result.
"""
import re, sys
import xml.etree.ElementTree as ET

NS = {'bpmn': 'http://www.omg.org/spec/BPMN/20100524/MODEL'}
B = '{%s}' % NS['bpmn']
GAP, GW = 90, 50

path, target = sys.argv[1], sys.argv[2]
text = open(path, encoding='utf-8').read()
root = ET.fromstring(text.encode('utf-8'))
flows, attached = {}, {}
for el in root.iter():
    if el.tag == B + 'sequenceFlow': flows[el.get('id')] = (el.get('sourceRef'), el.get('targetRef'))
    if el.tag == B + 'boundaryEvent': attached[el.get('id')] = el.get('attachedToRef')
incoming = [f for f, (_, t) in flows.items() if t == target]
if len(incoming) < 2: sys.exit(f'{target} has {len(incoming)} incoming flow(s): nothing to join')
join, joined = f'{target}Join', f'{target}Joined'

# ── the process part ──
open_tag = re.search(r'\n([ \t]*)<bpmn:\w+ id="%s"[^>]*?(/?)>' % re.escape(target), text)
indent = open_tag.group(1)
lines = ''.join(f'{indent}  <bpmn:incoming>{f}</bpmn:incoming>\n' for f in incoming)
gateway = f'\n{indent}<bpmn:exclusiveGateway id="{join}">\n{lines}{indent}  <bpmn:outgoing>{joined}</bpmn:outgoing>\n{indent}</bpmn:exclusiveGateway>'
text = text[:open_tag.start()] + gateway + text[open_tag.start():]
element = re.search(r'<bpmn:(\w+) id="%s"[^>]*>(.*?)</bpmn:\1>' % re.escape(target), text, re.S)
body = element.group(2)
for f in incoming[1:]: body = re.sub(r'\n[ \t]*<bpmn:incoming>%s</bpmn:incoming>' % re.escape(f), '', body)
body = body.replace(f'<bpmn:incoming>{incoming[0]}</bpmn:incoming>', f'<bpmn:incoming>{joined}</bpmn:incoming>')
text = text[:element.start(2)] + body + text[element.end(2):]
last_flow = None
for f in incoming:
    m = re.search(r'(<bpmn:sequenceFlow id="%s"[^>]*?targetRef=")%s(")' % (re.escape(f), re.escape(target)), text)
    text = text[:m.start()] + m.group(1) + join + m.group(2) + text[m.end():]
    close = text.index('>', m.start())
    end = close if text[close - 1] == '/' else text.index('</bpmn:sequenceFlow>', m.start()) + len('</bpmn:sequenceFlow>') - 1
    if last_flow is None or end > last_flow: last_flow = end
flow_indent = re.search(r'\n([ \t]*)<bpmn:sequenceFlow id="%s"' % re.escape(incoming[-1]), text).group(1)
text = text[:last_flow + 1] + f'\n{flow_indent}<bpmn:sequenceFlow id="{joined}" sourceRef="{join}" targetRef="{target}" />' + text[last_flow + 1:]

# ── the diagram ──
shape_re = re.compile(r'<bpmndi:BPMNShape id="[^"]*" bpmnElement="([^"]+)"[^>]*>\s*<dc:Bounds x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"')
bounds = {m.group(1): tuple(float(v) for v in m.group(2, 3, 4, 5)) for m in shape_re.finditer(text)}
tb = bounds[target]
x0 = float(sys.argv[3]) if len(sys.argv) > 3 else tb[0] - 20
moves = {k for k, b in bounds.items() if b[0] >= x0}
moves |= {k for k, host in attached.items() if host in moves}
straddling = [k for k, b in bounds.items() if k not in moves and b[0] < x0 < b[0] + b[2] and attached.get(k) not in moves]
if straddling: sys.exit(f'x0={x0} cuts through {straddling}: pass another x0')

def fmt(v): return str(int(v)) if float(v).is_integer() else str(v)
def shift_shape(m):
    block = m.group(0)
    if m.group(1) not in moves: return block
    return re.sub(r'(<dc:Bounds x=")([-\d.]+)', lambda b: b.group(1) + fmt(float(b.group(2)) + GAP), block)
text = re.sub(r'<bpmndi:BPMNShape id="[^"]*" bpmnElement="([^"]+)".*?</bpmndi:BPMNShape>', shift_shape, text, flags=re.S)
def shift_points(m):
    return re.sub(r'((?:<di:waypoint|<dc:Bounds) x=")([-\d.]+)', lambda p: p.group(1) + fmt(float(p.group(2)) + (GAP if float(p.group(2)) >= x0 else 0)), m.group(0))
text = re.sub(r'<bpmndi:BPMNEdge .*?</bpmndi:BPMNEdge>', shift_points, text, flags=re.S)

tx = tb[0] + GAP
gx, gy = x0 + 20, tb[1] + tb[3] / 2 - GW / 2
gcx, gcy = gx + GW / 2, gy + GW / 2
for f in incoming:
    m = re.search(r'(<bpmndi:BPMNEdge [^>]*bpmnElement="%s"[^>]*>)(.*?)(</bpmndi:BPMNEdge>)' % re.escape(f), text, re.S)
    pts = [(float(a), float(b)) for a, b in re.findall(r'<di:waypoint x="([-\d.]+)" y="([-\d.]+)"', m.group(2))]
    (qx, qy), (px, py) = pts[-2], pts[-1]
    head = pts[:-1]
    if qy == py and qx < px:  # entered from the left
        tail = [(gx, gcy)] if qy == gcy else [((qx + gx) / 2, qy), ((qx + gx) / 2, gcy), (gx, gcy)]
    else:  # from below or above: along the run it came on, then up or down into the gateway
        tail = ([] if qx == gcx else [(gcx, qy)]) + [(gcx, gy + GW if qy > gcy else gy)]
    wps = ''.join(f'<di:waypoint x="{fmt(x)}" y="{fmt(y)}" />' for x, y in head + tail)
    label = re.search(r'<bpmndi:BPMNLabel>.*?</bpmndi:BPMNLabel>', m.group(2), re.S)
    text = text[:m.start(2)] + wps + (label.group(0) if label else '') + text[m.end(2):]
shape_line = re.search(r'\n([ \t]*)<bpmndi:BPMNShape id="[^"]*" bpmnElement="%s"' % re.escape(target), text)
new_di = (f'\n{shape_line.group(1)}<bpmndi:BPMNShape id="{join}_di" bpmnElement="{join}" isMarkerVisible="true"><dc:Bounds x="{fmt(gx)}" y="{fmt(gy)}" width="{GW}" height="{GW}" /></bpmndi:BPMNShape>')
text = text[:shape_line.start()] + new_di + text[shape_line.start():]
plane_end = text.index('</bpmndi:BPMNPlane>')
line_start = text.rindex('\n', 0, plane_end)
edge_indent = shape_line.group(1)
text = text[:line_start] + f'\n{edge_indent}<bpmndi:BPMNEdge id="{joined}_di" bpmnElement="{joined}"><di:waypoint x="{fmt(gx + GW)}" y="{fmt(gcy)}" /><di:waypoint x="{fmt(tx)}" y="{fmt(gcy)}" /></bpmndi:BPMNEdge>' + text[line_start:]
open(path, 'w', encoding='utf-8').write(text)
print(f'{path}: {join} takes {", ".join(incoming)}; gap of {GAP} at x={fmt(x0)}')
