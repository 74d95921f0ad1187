package deploy

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeCFN is an in-process CloudFormation speaking the Query protocol the
// SDK uses: form-encoded POSTs, XML responses shaped like the SDK's response
// snapshots. It models what moto cannot: slow change sets, busy stacks,
// rollbacks with failure reasons, throttling and 5xx faults.
type fakeCFN struct {
	mu     sync.Mutex
	clock  time.Time // advances 1 s per tick, so timestamps are deterministic
	seq    int
	stacks []*fakeStack
	sets   map[string]*fakeCS // by ARN
	reqs   []string           // "Action k=v ..." per request, in order
	faults map[string][]fault // per action, consumed in order

	csPolls   int                                    // DescribeChangeSet calls that stay CREATE_IN_PROGRESS
	csFail    string                                 // a StatusReason to fail every change set with
	script    func(st *fakeStack, cs *fakeCS) []step // execution outcome; nil = success
	onRequest func(action string)                    // called before each request is handled
	objects   map[string]string                      // S3 objects CreateChangeSet may read via TemplateURL
}

type fault struct {
	status int
	code   string
	msg    string
}

type fakeStack struct {
	id, name, status, reason string
	template                 string
	tags                     [][2]string
	termProt                 bool
	events                   []fakeEvent // oldest first
	pending                  []step      // applied one per DescribeStacks
}

type fakeEvent struct {
	id, logical, physical, typ, status, reason string
	ts                                         time.Time
}

// step is one DescribeStacks' worth of progress: events, then a status.
type step struct {
	events []fakeEvent
	status string
}

type fakeCS struct {
	arn, name, stack, csType string
	status, exec, reason     string
	template, token          string
	created                  time.Time
	polls                    int
	changes                  []fakeChange
	disableRollback          bool
}

type fakeChange struct {
	action, logical, physical, typ, replacement string
	targets                                     [][2]string // property name, RequiresRecreation
}

func newFakeCFN() *fakeCFN {
	return &fakeCFN{clock: time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC),
		sets: map[string]*fakeCS{}, faults: map[string][]fault{}, objects: map[string]string{}}
}

// serve starts the fake on loopback and returns its URL.
func (f *fakeCFN) serve(t *testing.T) string {
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return srv.URL
}

func (f *fakeCFN) tick() time.Time {
	f.clock = f.clock.Add(time.Second)
	return f.clock
}

func (f *fakeCFN) id(kind, name string) string {
	f.seq++
	return fmt.Sprintf("arn:aws:cloudformation:us-east-1:123456789012:%s/%s/%08d-0000-4000-8000-000000000000", kind, name, f.seq)
}

func (f *fakeCFN) fault(action string, n int, ft fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.faults[action] = append(f.faults[action], ft)
	}
}

// requests returns the logged requests whose action is one of actions.
func (f *fakeCFN) requests(actions ...string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.reqs {
		a, _, _ := strings.Cut(r, " ")
		for _, want := range actions {
			if a == want {
				out = append(out, r)
			}
		}
	}
	return out
}

// addStack seeds a stack, as if deployed before.
func (f *fakeCFN) addStack(name, status, template string) *fakeStack {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := &fakeStack{id: f.id("stack", name), name: name, status: status, template: template}
	f.stacks = append(f.stacks, st)
	return st
}

// stack finds a live stack by name, or any stack by ID.
func (f *fakeCFN) stack(nameOrID string) *fakeStack {
	for i := len(f.stacks) - 1; i >= 0; i-- {
		st := f.stacks[i]
		if st.id == nameOrID || st.name == nameOrID && st.status != "DELETE_COMPLETE" {
			return st
		}
	}
	return nil
}

func (f *fakeCFN) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
		writeErr(w, fault{400, "InvalidRequest", "bad request"})
		return
	}
	action := r.Form.Get("Action")
	if f.onRequest != nil {
		f.onRequest(action)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, logLine(r))
	if q := f.faults[action]; len(q) > 0 {
		f.faults[action] = q[1:]
		writeErr(w, q[0])
		return
	}
	h, ok := map[string]func(form) (string, *fault){
		"DescribeStacks":              f.describeStacks,
		"CreateChangeSet":             f.createChangeSet,
		"DescribeChangeSet":           f.describeChangeSet,
		"ExecuteChangeSet":            f.executeChangeSet,
		"DeleteChangeSet":             f.deleteChangeSet,
		"DescribeStackEvents":         f.describeStackEvents,
		"DeleteStack":                 f.deleteStack,
		"UpdateTerminationProtection": f.updateTerminationProtection,
	}[action]
	if !ok {
		writeErr(w, fault{400, "InvalidAction", "unknown action " + action})
		return
	}
	body, ft := h(form(r.Form.Get))
	if ft != nil {
		writeErr(w, *ft)
		return
	}
	writeOK(w, action, body)
}

type form func(string) string

// logLine renders a request as "Action k=v ..." with sorted keys, leaving
// out the bulky template and the constant Version.
func logLine(r *http.Request) string {
	var keys []string
	for k := range r.Form {
		if k != "Action" && k != "Version" && k != "TemplateBody" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := []string{r.Form.Get("Action")}
	for _, k := range keys {
		parts = append(parts, k+"="+r.Form.Get(k))
	}
	return strings.Join(parts, " ")
}

func notExist(name string) *fault {
	return &fault{400, "ValidationError", "Stack with id " + name + " does not exist"}
}

func (f *fakeCFN) describeStacks(get form) (string, *fault) {
	st := f.stack(get("StackName"))
	if st == nil {
		return "", notExist(get("StackName"))
	}
	if len(st.pending) > 0 {
		s := st.pending[0]
		st.pending = st.pending[1:]
		f.apply(st, s)
	}
	return "<Stacks>" + stackXML(st) + "</Stacks>", nil
}

// apply records a step's events with fresh timestamps and sets the status.
func (f *fakeCFN) apply(st *fakeStack, s step) {
	for _, e := range s.events {
		f.seq++
		e.id = fmt.Sprintf("ev-%04d", f.seq)
		e.ts = f.tick()
		st.events = append(st.events, e)
	}
	if s.status != "" {
		st.status = s.status
	}
}

// stackEvent is the stack's own event.
func stackEvent(st *fakeStack, status, reason string) fakeEvent {
	return fakeEvent{logical: st.name, physical: st.id, typ: "AWS::CloudFormation::Stack", status: status, reason: reason}
}

func (f *fakeCFN) describeStackEvents(get form) (string, *fault) {
	st := f.stack(get("StackName"))
	if st == nil {
		return "", notExist(get("StackName"))
	}
	const pageSize = 3 // small, so the deployer must follow NextToken
	start, _ := strconv.Atoi(get("NextToken"))
	var b strings.Builder
	b.WriteString("<StackEvents>")
	n := len(st.events)
	for i := start; i < min(start+pageSize, n); i++ {
		b.WriteString(eventXML(st, st.events[n-1-i])) // newest first
	}
	b.WriteString("</StackEvents>")
	if start+pageSize < n {
		b.WriteString(el("NextToken", strconv.Itoa(start+pageSize)))
	}
	return b.String(), nil
}

func (f *fakeCFN) deleteStack(get form) (string, *fault) {
	st := f.stack(get("StackName"))
	if st == nil {
		return "", nil // AWS and moto both accept deleting a missing stack
	}
	if st.termProt {
		return "", &fault{400, "ValidationError", "Stack [" + st.name + "] cannot be deleted while TerminationProtection is enabled"}
	}
	f.apply(st, step{events: []fakeEvent{stackEvent(st, "DELETE_IN_PROGRESS", "User Initiated")}, status: "DELETE_IN_PROGRESS"})
	st.pending = []step{{events: []fakeEvent{stackEvent(st, "DELETE_COMPLETE", "")}, status: "DELETE_COMPLETE"}}
	if st.template == "" { // a REVIEW_IN_PROGRESS stub goes at once
		f.apply(st, st.pending[0])
		st.pending = nil
	}
	return "", nil
}

func (f *fakeCFN) updateTerminationProtection(get form) (string, *fault) {
	st := f.stack(get("StackName"))
	if st == nil {
		return "", notExist(get("StackName"))
	}
	st.termProt = get("EnableTerminationProtection") == "true"
	return el("StackId", st.id), nil
}

// templateResources parses a template's Resources for change computation.
func templateResources(body string) map[string]map[string]any {
	var t struct {
		Resources map[string]map[string]any
	}
	_ = json.Unmarshal([]byte(body), &t)
	return t.Resources
}

// createOnly are, per type, the properties whose change forces
// replacement (registry schema createOnlyProperties).
var createOnly = map[string]map[string]bool{
	"AWS::Lambda::EventSourceMapping": {"EventSourceArn": true, "StartingPosition": true, "StartingPositionTimestamp": true},
	"AWS::Kinesis::StreamConsumer":    {"ConsumerName": true, "StreamARN": true},
}

// diff computes resource changes between two templates the way
// CloudFormation reports them.
func diff(old, cur string) []fakeChange {
	before, after := templateResources(old), templateResources(cur)
	var out []fakeChange
	for _, id := range sortedKeys(after) {
		r := after[id]
		typ, _ := r["Type"].(string)
		prev, ok := before[id]
		if !ok {
			out = append(out, fakeChange{action: "Add", logical: id, typ: typ})
			continue
		}
		if c, changed := modify(id, typ, prev, r); changed {
			out = append(out, c)
		}
	}
	out = dynamicChanges(out, after)
	for _, id := range sortedKeys(before) {
		if _, ok := after[id]; !ok {
			typ, _ := before[id]["Type"].(string)
			out = append(out, fakeChange{action: "Remove", logical: id, physical: "phys-" + id, typ: typ})
		}
	}
	return out
}

func modify(id, typ string, prev, cur map[string]any) (fakeChange, bool) {
	c := fakeChange{action: "Modify", logical: id, physical: "phys-" + id, typ: typ, replacement: "False"}
	pp, _ := prev["Properties"].(map[string]any)
	cp, _ := cur["Properties"].(map[string]any)
	keys := map[string]bool{}
	for k := range pp {
		keys[k] = true
	}
	for k := range cp {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys) {
		if reflect.DeepEqual(pp[k], cp[k]) {
			continue
		}
		rec := "Never"
		if createOnly[typ][k] {
			rec, c.replacement = "Always", "True"
		}
		c.targets = append(c.targets, [2]string{k, rec})
	}
	return c, len(c.targets) > 0
}

// dynamicChanges adds the changes CloudFormation reports for resources
// that reference a replaced one: their referencing property changes at
// deploy time (Evaluation Dynamic), so their replacement is Conditional.
func dynamicChanges(changes []fakeChange, after map[string]map[string]any) []fakeChange {
	out := changes
	for _, c := range changes {
		if c.replacement != "True" {
			continue
		}
		for _, id := range sortedKeys(after) {
			typ, _ := after[id]["Type"].(string)
			props, _ := after[id]["Properties"].(map[string]any)
			for _, k := range sortedKeys(props) {
				ref, _ := json.Marshal(props[k])
				if id == c.logical || !strings.Contains(string(ref), `"`+c.logical+`"`) {
					continue
				}
				d := fakeChange{action: "Modify", logical: id, physical: "phys-" + id, typ: typ, replacement: "False"}
				rec := "Never"
				if createOnly[typ][k] {
					rec, d.replacement = "Always", "Conditional"
				}
				d.targets = [][2]string{{k, rec}}
				out = append(out, d)
			}
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
