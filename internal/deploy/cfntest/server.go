// Package cfntest provides an in-process CloudFormation for tests outside
// internal/deploy: an httptest server speaking the Query protocol the AWS
// SDK uses (form-encoded POSTs, XML answers shaped like the SDK's response
// snapshots). Point a real client at it through BaseEndpoint, or a whole
// process through AWS_ENDPOINT_URL_CLOUDFORMATION, so serialization, waiters
// and error mapping all run for real.
//
// It is an exported port of the fake in internal/deploy's tests: stacks,
// change sets with computed changes, scripted executions with stack
// events, and injected faults.
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

	mu     sync.Mutex
	clock  time.Time // advances 1 s per tick, so timestamps are deterministic
	seq    int
	stacks []*stack
	sets   map[string]*changeSet // by ARN
	reqs   []string              // "Action k=v ..." per request, in order
	faults map[string][]Fault    // per action, consumed in order
	fail   map[string]string     // logical ID -> reason: executions fail there
}

// Fault replaces the answer to one request with an AWS error.
type Fault struct {
	Status  int    // HTTP status, e.g. 400
	Code    string // e.g. "ValidationError" or "Throttling"
	Message string
}

type stack struct {
	id, name, status string
	template         string
	tags             [][2]string
	termProt         bool
	events           []event  // oldest first
	pending          []script // applied one per DescribeStacks
}

type event struct {
	id, logical, physical, typ, status, reason string
	ts                                         time.Time
}

// script is one DescribeStacks' worth of progress: events, then a status.
type script struct {
	events []event
	status string
}

// NewServer starts a fake with no stacks. It is closed when the test ends.
func NewServer(t testing.TB) *Server {
	s := &Server{clock: time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC),
		sets: map[string]*changeSet{}, faults: map[string][]Fault{}, fail: map[string]string{}}
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

// FailResource makes later executions fail when they reach logicalID, with
// reason as its ResourceStatusReason, and roll back.
func (s *Server) FailResource(logicalID, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[logicalID] = reason
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
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stack(name)
	if st == nil {
		return "", "", false
	}
	return st.status, st.template, true
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

type form func(string) string

// ServeHTTP answers one Query-protocol request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
		writeErr(w, Fault{400, "InvalidRequest", "bad request"})
		return
	}
	action := r.Form.Get("Action")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, logLine(r))
	if q := s.faults[action]; len(q) > 0 {
		s.faults[action] = q[1:]
		writeErr(w, q[0])
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
	}[action]
	if !ok {
		writeErr(w, Fault{400, "InvalidAction", "unknown action " + action})
		return
	}
	body, ft := h(form(r.Form.Get))
	if ft != nil {
		writeErr(w, *ft)
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

// apply records a script step's events with fresh timestamps and sets the
// status.
func (s *Server) apply(st *stack, p script) {
	for _, e := range p.events {
		s.seq++
		e.id = fmt.Sprintf("ev-%04d", s.seq)
		e.ts = s.tick()
		st.events = append(st.events, e)
	}
	if p.status != "" {
		st.status = p.status
	}
}

// stackEvent is the stack's own event.
func stackEvent(st *stack, status, reason string) event {
	return event{logical: st.name, physical: st.id, typ: "AWS::CloudFormation::Stack", status: status, reason: reason}
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
		return "", nil // AWS accepts deleting a missing stack
	}
	if st.termProt {
		return "", &Fault{400, "ValidationError", "Stack [" + st.name + "] cannot be deleted while TerminationProtection is enabled"}
	}
	s.apply(st, script{events: []event{stackEvent(st, "DELETE_IN_PROGRESS", "User Initiated")}, status: "DELETE_IN_PROGRESS"})
	st.pending = []script{{events: []event{stackEvent(st, "DELETE_COMPLETE", "")}, status: "DELETE_COMPLETE"}}
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
