// Package cfntest provides an in-process CloudFormation for tests: an
// httptest server speaking the Query protocol the AWS SDK uses
// (form-encoded POSTs, XML answers shaped like the SDK's response
// snapshots). Point a real client at it through BaseEndpoint, or a whole
// process through AWS_ENDPOINT_URL_CLOUDFORMATION, so serialization,
// waiters and error mapping all run for real.
//
// It models what moto cannot: stacks in any state, change sets with
// computed changes (replacements included) that may be slow or fail,
// executions that succeed, fail at a resource or follow a script of stack
// events, injected faults (throttling, 5xx), and templates uploaded to a
// fake S3 and read back through TemplateURL.
//
// It is the one CloudFormation fake of both internal/deploy's tests and
// internal/cli's. Since internal/deploy's own tests import it, it must not
// import internal/deploy.
package cfntest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a fake CloudFormation. Its zero value is not usable; call
// NewServer.
type Server struct {
	// URL is the endpoint to give the SDK.
	URL string

	mu        sync.Mutex
	clock     time.Time // advances 1 s per tick, so timestamps are deterministic
	seq       int
	stacks    []*stack
	sets      map[string]*changeSet // by ARN
	reqs      []string              // "Action k=v ..." per request, in order
	faults    map[string][]Fault    // per action, consumed in order
	fail      map[string]string     // logical ID -> reason: executions fail there
	csPolls   int                   // DescribeChangeSet calls a new change set stays CREATE_IN_PROGRESS
	csFail    string                // a StatusReason to fail every change set with
	script    []Step                // every execution's outcome; nil = computed
	onRequest func(action string)   // called before each request is handled
	objects   map[string]string     // S3 objects by "bucket/key"
}

// Fault replaces the answer to one request with an AWS error.
type Fault struct {
	Status  int    // HTTP status, e.g. 400
	Code    string // e.g. "ValidationError" or "Throttling"
	Message string
}

// Repeat returns n copies of f, for Inject.
func Repeat(n int, f Fault) []Fault {
	out := make([]Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// Event is a stack event in a Step. Its ID and Timestamp are assigned when
// a DescribeStacks call reports it.
type Event struct {
	LogicalID, PhysicalID, Type, Status, Reason string

	stack bool // the stack's own event: IDs and type filled in from the stack
}

// StackEvent is the stack's own event (AWS::CloudFormation::Stack), with
// the stack's name and ID filled in when it is reported.
func StackEvent(status, reason string) Event {
	return Event{Status: status, Reason: reason, stack: true}
}

// Step is one DescribeStacks' worth of progress of a running operation:
// its events are reported, then the stack takes Status unless it is
// empty. The zero Step is a poll on which nothing happens.
type Step struct {
	Events []Event
	Status string
}

// StackInfo is a stack's state as the fake holds it.
type StackInfo struct {
	ID, Name, Status, StatusReason string
	Template                       string
	TerminationProtection          bool
	Tags                           [][2]string // key, value
}

type stack struct {
	id, name, status, reason string
	template                 string
	previous                 string // the template before the running update
	tags                     [][2]string
	termProt                 bool
	events                   []event // oldest first
	pending                  []Step  // applied one per DescribeStacks
	resources                []Resource
}

type event struct {
	Event
	id string
	ts time.Time
}

// NewServer starts a fake with no stacks. It is closed when the test ends.
func NewServer(t testing.TB) *Server {
	s := &Server{clock: time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC),
		sets: map[string]*changeSet{}, faults: map[string][]Fault{}, fail: map[string]string{},
		objects: map[string]string{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// AddStack seeds a stack, as if deployed before, with a JSON template.
func (s *Server) AddStack(name, status, template string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stacks = append(s.stacks, &stack{id: s.id("stack", name), name: name, status: status, template: template})
}

// SetStatusReason sets a live stack's StackStatusReason.
func (s *Server) SetStatusReason(stackName, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustStack(stackName).reason = reason
}

// QueueSteps appends steps to a live stack's running operation: each
// DescribeStacks applies the next one. A seeded stack that is
// UPDATE_IN_PROGRESS stays so until steps move it on.
func (s *Server) QueueSteps(stackName string, steps ...Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.mustStack(stackName)
	st.pending = append(st.pending, steps...)
}

// FailResource makes later executions fail when they reach logicalID, with
// reason as its ResourceStatusReason, and roll back.
func (s *Server) FailResource(logicalID, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[logicalID] = reason
}

// ScriptExecutions makes every later execution report steps, one per
// DescribeStacks after ExecuteChangeSet, instead of its computed outcome.
// With no steps, executions go back to the computed outcome. Steps that
// never reach a final status make an execution that never ends.
func (s *Server) ScriptExecutions(steps ...Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = steps
}

// SlowChangeSets makes later change sets stay CREATE_IN_PROGRESS for polls
// DescribeChangeSet calls before they complete or fail.
func (s *Server) SlowChangeSets(polls int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.csPolls = polls
}

// FailChangeSets makes change sets that finish creating from now on FAILED
// with reason as their StatusReason; "" turns that off.
func (s *Server) FailChangeSets(reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.csFail = reason
}

// OnRequest sets fn to be called with each request's action before the
// request is handled (and before any injected fault answers it), outside
// the server's lock; nil removes it.
func (s *Server) OnRequest(fn func(action string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onRequest = fn
}

// Inject queues faults for the next requests of action.
func (s *Server) Inject(action string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[action] = append(s.faults[action], faults...)
}

// Requests returns the logged requests whose action is one of actions (all
// of them when none is given), as "Action key=value ..." with sorted keys
// and without TemplateBody.
func (s *Server) Requests(actions ...string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.reqs {
		a, _, _ := strings.Cut(r, " ")
		if len(actions) == 0 || contains(actions, a) {
			out = append(out, r)
		}
	}
	return out
}

// Stack reports a live stack's status and template.
func (s *Server) Stack(name string) (status, template string, ok bool) {
	info, ok := s.StackInfo(name)
	return info.Status, info.Template, ok
}

// StackInfo reports a live stack (not DELETE_COMPLETE) by name, or any
// stack by ID.
func (s *Server) StackInfo(nameOrID string) (StackInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stack(nameOrID)
	if st == nil {
		return StackInfo{}, false
	}
	return StackInfo{ID: st.id, Name: st.name, Status: st.status, StatusReason: st.reason, Template: st.template,
		TerminationProtection: st.termProt, Tags: append([][2]string(nil), st.tags...)}, true
}

// ChangeSets returns how many change sets exist.
func (s *Server) ChangeSets() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sets)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (s *Server) tick() time.Time {
	s.clock = s.clock.Add(time.Second)
	return s.clock
}

func (s *Server) id(kind, name string) string {
	s.seq++
	return fmt.Sprintf("arn:aws:cloudformation:us-east-1:123456789012:%s/%s/%08d-0000-4000-8000-000000000000", kind, name, s.seq)
}

// stack finds a live stack by name, or any stack by ID.
func (s *Server) stack(nameOrID string) *stack {
	for i := len(s.stacks) - 1; i >= 0; i-- {
		st := s.stacks[i]
		if st.id == nameOrID || st.name == nameOrID && st.status != "DELETE_COMPLETE" {
			return st
		}
	}
	return nil
}

// mustStack is stack for the seeding methods, where a missing stack is a
// mistake in the test.
func (s *Server) mustStack(nameOrID string) *stack {
	st := s.stack(nameOrID)
	if st == nil {
		panic("cfntest: no stack " + nameOrID)
	}
	return st
}

type form func(string) string

// ServeHTTP answers one Query-protocol request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
		WriteError(w, Fault{400, "InvalidRequest", "bad request"})
		return
	}
	action := r.Form.Get("Action")
	s.mu.Lock()
	hook := s.onRequest
	s.mu.Unlock()
	if hook != nil {
		hook(action)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, logLine(r))
	if q := s.faults[action]; len(q) > 0 {
		s.faults[action] = q[1:]
		WriteError(w, q[0])
		return
	}
	h, ok := map[string]func(form) (string, *Fault){
		"DescribeStacks":              s.describeStacks,
		"CreateChangeSet":             s.createChangeSet,
		"DescribeChangeSet":           s.describeChangeSet,
		"ExecuteChangeSet":            s.executeChangeSet,
		"DeleteChangeSet":             s.deleteChangeSet,
		"DescribeStackEvents":         s.describeStackEvents,
		"DeleteStack":                 s.deleteStack,
		"UpdateTerminationProtection": s.updateTerminationProtection,
		"DescribeStackResources":      s.describeStackResources,
	}[action]
	if !ok {
		WriteError(w, Fault{400, "InvalidAction", "unknown action " + action})
		return
	}
	body, ft := h(form(r.Form.Get))
	if ft != nil {
		WriteError(w, *ft)
		return
	}
	writeOK(w, action, body)
}

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

func notExist(name string) *Fault {
	return &Fault{400, "ValidationError", "Stack with id " + name + " does not exist"}
}

func (s *Server) describeStacks(get form) (string, *Fault) {
	st := s.stack(get("StackName"))
	if st == nil {
		return "", notExist(get("StackName"))
	}
	if len(st.pending) > 0 {
		p := st.pending[0]
		st.pending = st.pending[1:]
		s.apply(st, p)
	}
	return "<Stacks>" + stackXML(st) + "</Stacks>", nil
}

// apply records a step's events with fresh IDs and timestamps and sets the
// status. An update that has rolled back has its old template back.
func (s *Server) apply(st *stack, p Step) {
	for _, e := range p.Events {
		if e.stack {
			e.LogicalID, e.PhysicalID, e.Type = st.name, st.id, "AWS::CloudFormation::Stack"
		}
		s.seq++
		st.events = append(st.events, event{Event: e, id: fmt.Sprintf("ev-%04d", s.seq), ts: s.tick()})
	}
	if p.Status == "" {
		return
	}
	st.status = p.Status
	switch {
	case st.status == "UPDATE_ROLLBACK_COMPLETE" && st.previous != "":
		st.template, st.previous = st.previous, ""
	case strings.HasSuffix(st.status, "_COMPLETE") && !strings.Contains(st.status, "ROLLBACK"):
		st.previous = ""
	}
}

func (s *Server) describeStackEvents(get form) (string, *Fault) {
	st := s.stack(get("StackName"))
	if st == nil {
		return "", notExist(get("StackName"))
	}
	const pageSize = 3 // small, so clients must follow NextToken
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

func (s *Server) deleteStack(get form) (string, *Fault) {
	st := s.stack(get("StackName"))
	if st == nil {
		return "", nil // AWS and moto both accept deleting a missing stack
	}
	if st.termProt {
		return "", &Fault{400, "ValidationError", "Stack [" + st.name + "] cannot be deleted while TerminationProtection is enabled"}
	}
	s.apply(st, Step{Events: []Event{StackEvent("DELETE_IN_PROGRESS", "User Initiated")}, Status: "DELETE_IN_PROGRESS"})
	st.pending = []Step{{Events: []Event{StackEvent("DELETE_COMPLETE", "")}, Status: "DELETE_COMPLETE"}}
	if st.template == "" { // a REVIEW_IN_PROGRESS stub goes at once
		s.apply(st, st.pending[0])
		st.pending = nil
	}
	return "", nil
}

func (s *Server) updateTerminationProtection(get form) (string, *Fault) {
	st := s.stack(get("StackName"))
	if st == nil {
		return "", notExist(get("StackName"))
	}
	st.termProt = get("EnableTerminationProtection") == "true"
	return el("StackId", st.id), nil
}
