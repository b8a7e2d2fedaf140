"""Rewrites the diagram (BPMNPlane) of a processes/*.bpmn after its process part changed.

usage: python3 processes/tools/relayout.py processes/case-x.bpmn layout.json   (or `-` for no overrides)

layout.json (all keys optional):
  "shift":   [dx, dy]                      moves every existing shape and waypoint first (make room)
  "shapes":  {id: [x, y] | [x, y, w, h]}   places new or moved elements (default sizes by element type)
  "via":     {flowId: [[x, y], ...]}       bend points of a flow; the first point decides the side it leaves
                                           (same x as the source centre: top/bottom; same y, left of it: left)
  "reroute": [flowId, ...]                 recompute these edges even if their ends did not move

Existing shapes keep their bounds; an edge keeps its waypoints unless an end moved, it is new, or it is listed.
New edges are orthogonal: right side → left side with one vertical jog, out of a gateway's top/bottom corner,
out of a boundary event's outer side. Shapes of deleted elements are dropped. Prints every problem (an element
without a shape, two overlapping shapes, a boundary event off its host) and exits 1; run it with `-` to check.
Shift is not idempotent: run a layout with "shift" once. test/processes/diagram-layout.test.ts checks the result.
"""
import json, re, sys
import xml.etree.ElementTree as ET

NS = {'bpmn': 'http://www.omg.org/spec/BPMN/20100524/MODEL'}
B = '{%s}' % NS['bpmn']
SIZES = {'startEvent': (36, 36), 'endEvent': (36, 36), 'intermediateThrowEvent': (36, 36), 'intermediateCatchEvent': (36, 36),
         'boundaryEvent': (36, 36), 'exclusiveGateway': (50, 50), 'parallelGateway': (50, 50), 'inclusiveGateway': (50, 50),
         'eventBasedGateway': (50, 50)}

path, layout_path = sys.argv[1], sys.argv[2]
text = open(path, encoding='utf-8').read()
layout = json.load(open(layout_path, encoding='utf-8')) if layout_path != '-' else {}
root = ET.fromstring(text.encode('utf-8'))
proc = root.find('bpmn:process', NS)

nodes, flows, parent = {}, {}, {}
def walk(container, owner):
    for el in container:
        tag = el.tag.replace(B, '')
        if tag == 'sequenceFlow':
            flows[el.get('id')] = (el.get('sourceRef'), el.get('targetRef'))
        elif tag in ('extensionElements', 'incoming', 'outgoing', 'documentation', 'multiInstanceLoopCharacteristics', 'conditionExpression'):
            continue
        elif el.get('id'):
            nodes[el.get('id')] = {'type': tag, 'attached': el.get('attachedToRef'), 'expanded': tag == 'subProcess'}
            parent[el.get('id')] = owner
            if tag == 'subProcess':
                walk(el, el.get('id'))
walk(proc, None)

old_bounds = {}
for m in re.finditer(r'<bpmndi:BPMNShape id="[^"]*" bpmnElement="([^"]+)"[^>]*>\s*<dc:Bounds x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"', text):
    old_bounds[m.group(1)] = tuple(float(v) for v in m.group(2, 3, 4, 5))
old_edges = {}
for m in re.finditer(r'<bpmndi:BPMNEdge id="[^"]*" bpmnElement="([^"]+)"[^>]*>(.*?)</bpmndi:BPMNEdge>', text, re.S):
    old_edges[m.group(1)] = [(float(a), float(b)) for a, b in re.findall(r'<di:waypoint x="([-\d.]+)" y="([-\d.]+)"', m.group(2))]

dx, dy = layout.get('shift', [0, 0])
old_bounds = {k: (b[0] + dx, b[1] + dy, b[2], b[3]) for k, b in old_bounds.items()}
old_edges = {k: [(x + dx, y + dy) for x, y in w] for k, w in old_edges.items()}
bounds, moved = {}, set()
for nid, n in nodes.items():
    o = layout.get('shapes', {}).get(nid)
    w, h = SIZES.get(n['type'], (100, 80))
    if o is not None:
        b = (float(o[0]), float(o[1]), float(o[2]) if len(o) > 2 else w, float(o[3]) if len(o) > 3 else h)
        if old_bounds.get(nid) != b: moved.add(nid)
        bounds[nid] = b
    elif nid in old_bounds:
        bounds[nid] = old_bounds[nid]
problems = [f'no shape for {nid} ({n["type"]})' for nid, n in nodes.items() if nid not in bounds]

def cx(b): return b[0] + b[2] / 2
def cy(b): return b[1] + b[3] / 2

def route(fid):
    s, t = flows[fid]
    sb, tb = bounds[s], bounds[t]
    via = [tuple(p) for p in layout.get('via', {}).get(fid, [])]
    if nodes[s]['type'] == 'boundaryEvent':
        hb = bounds[nodes[s]['attached']]
        start = (cx(sb), sb[1]) if cy(sb) < cy(hb) else (cx(sb), sb[1] + sb[3])
        first = via[0] if via else (cx(sb), cy(tb))
        pts = [start]
        if not via:
            if tb[0] > cx(sb): pts += [(cx(sb), cy(tb)), (tb[0], cy(tb))]
            else: pts += [(cx(sb), tb[1] - 0), ]  # straight down into the top
            return pts
        pts = [start]
    else:
        start = (sb[0] + sb[2], cy(sb))
        if via and abs(via[0][0] - cx(sb)) < 1:
            start = (cx(sb), sb[1] if via[0][1] < sb[1] else sb[1] + sb[3])
        elif via and abs(via[0][1] - cy(sb)) < 1 and via[0][0] < sb[0]:
            start = (sb[0], cy(sb))
        pts = [start]
    if via:
        pts += via
        last = via[-1]
        # enter from the side the last via point is on
        if abs(last[0] - cx(tb)) < 1: pts.append((cx(tb), tb[1] if last[1] < tb[1] else tb[1] + tb[3]))
        elif last[0] < tb[0]: pts.append((tb[0], last[1]) if abs(last[1] - cy(tb)) < 1 else (tb[0], cy(tb)))
        else: pts.append((tb[0] + tb[2], cy(tb)))
        return pts
    end = (tb[0], cy(tb))
    if abs(start[1] - end[1]) < 1: return [start, (end[0], start[1])]
    if end[0] > start[0]:
        if nodes[s]['type'].endswith('Gateway'):
            # leave a gateway from its top/bottom corner, then straight across
            pts = [(cx(sb), sb[1] if end[1] < start[1] else sb[1] + sb[3]), (cx(sb), end[1]), end]
            return pts
        if nodes[t]['type'].endswith('Gateway'):
            return [start, (cx(tb), start[1]), (cx(tb), tb[1] if start[1] < cy(tb) else tb[1] + tb[3])]
        mx = (start[0] + end[0]) / 2
        return [start, (mx, start[1]), (mx, end[1]), end]
    # backwards: below both
    low = max(sb[1] + sb[3], tb[1] + tb[3]) + 30
    return [(cx(sb), sb[1] + sb[3]), (cx(sb), low), (cx(tb), low), (cx(tb), tb[1] + tb[3])]

edges = {}
for fid, (s, t) in flows.items():
    if s not in bounds or t not in bounds: continue
    if fid in old_edges and fid not in layout.get('reroute', []) and fid not in layout.get('via', {}) and s not in moved and t not in moved and not (nodes[s]['attached'] in moved):
        edges[fid] = old_edges[fid]
    else:
        edges[fid] = route(fid)

# overlaps: any two shapes except a boundary event and its host, or a node inside its sub-process
def inside(a, b): return a[0] >= b[0] and a[1] >= b[1] and a[0] + a[2] <= b[0] + b[2] and a[1] + a[3] <= b[1] + b[3]
ids = list(bounds)
for i, a in enumerate(ids):
    for b in ids[i + 1:]:
        A, Bb = bounds[a], bounds[b]
        if nodes[a]['attached'] == b or nodes[b]['attached'] == a: continue
        if parent.get(a) == b or parent.get(b) == a: continue
        if nodes[a]['attached'] and nodes[b]['attached'] and nodes[a]['attached'] == nodes[b]['attached']:
            pass
        if nodes[a]['attached'] and parent.get(nodes[a]['attached']) == b: continue
        if nodes[b]['attached'] and parent.get(nodes[b]['attached']) == a: continue
        if A[0] < Bb[0] + Bb[2] and Bb[0] < A[0] + A[2] and A[1] < Bb[1] + Bb[3] and Bb[1] < A[1] + A[3]:
            problems.append(f'overlap: {a} {A} and {b} {Bb}')
for nid, n in nodes.items():
    if n['attached'] and nid in bounds and n['attached'] in bounds:
        h, e = bounds[n['attached']], bounds[nid]
        if not (h[0] - 18 <= cx(e) <= h[0] + h[2] + 18 and h[1] - 18 <= cy(e) <= h[1] + h[3] + 18):
            problems.append(f'boundary {nid} is not on its host {n["attached"]}')

def f(v): return str(int(v)) if float(v).is_integer() else str(v)
out = []
for nid in nodes:
    if nid not in bounds: continue
    x, y, w, h = bounds[nid]
    extra = ' isMarkerVisible="true"' if nodes[nid]['type'] == 'exclusiveGateway' else ''
    extra += ' isExpanded="true"' if nodes[nid]['expanded'] else ''
    out.append(f'      <bpmndi:BPMNShape id="{nid}_di" bpmnElement="{nid}"{extra}><dc:Bounds x="{f(x)}" y="{f(y)}" width="{f(w)}" height="{f(h)}" /></bpmndi:BPMNShape>')
for fid in flows:
    if fid not in edges: problems.append(f'no edge for {fid}'); continue
    wps = ''.join(f'<di:waypoint x="{f(x)}" y="{f(y)}" />' for x, y in edges[fid])
    out.append(f'      <bpmndi:BPMNEdge id="{fid}_di" bpmnElement="{fid}">{wps}</bpmndi:BPMNEdge>')
plane = re.search(r'(<bpmndi:BPMNPlane [^>]*>)(.*?)(\s*</bpmndi:BPMNPlane>)', text, re.S)
text = text[:plane.start(2)] + '\n' + '\n'.join(out) + text[plane.end(2):]
open(path, 'w', encoding='utf-8').write(text)
for p in problems: print('PROBLEM', path, p)
sys.exit(1 if problems else 0)
