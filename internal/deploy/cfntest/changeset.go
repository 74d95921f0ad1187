package cfntest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

type changeSet struct {
	arn, name, stack, csType string
	status, exec, reason     string
	template, token          string
	created                  time.Time
	polls                    int // DescribeChangeSet calls left in CREATE_IN_PROGRESS
	changes                  []change
}

type change struct {
	action, logical, physical, typ, replacement string
	targets                                     [][2]string // property name, RequiresRecreation
}

func (s *Server) createChangeSet(get form) (string, *Fault) {
	name, stackName, csType := get("ChangeSetName"), get("StackName"), get("ChangeSetType")
	body := get("TemplateBody")
	if u := get("TemplateURL"); u != "" {
		var ok bool
		if body, ok = s.templateAt(u); !ok {
			return "", &Fault{400, "ValidationError", "TemplateURL must be a supported URL: " + u}
		}
	}
	if ft := checkCapabilities(body, get); ft != nil {
		return "", ft
	}
	if ft := checkParameters(body); ft != nil {
		return "", ft
	}
	st := s.stack(stackName)
	switch {
	case csType == "CREATE" && st != nil && st.status != "REVIEW_IN_PROGRESS":
		return "", &Fault{400, "AlreadyExistsException", "Stack [" + stackName + "] already exists"}
	case csType != "CREATE" && st == nil:
		return "", notExist(stackName)
	case csType != "CREATE" && (st.status == "ROLLBACK_COMPLETE" || st.status == "REVIEW_IN_PROGRESS"):
		return "", &Fault{400, "ValidationError", "Stack:" + st.id + " is in " + st.status + " state and can not be updated."}
	case st == nil:
		st = &stack{id: s.id("stack", stackName), name: stackName}
		s.stacks = append(s.stacks, st)
		s.apply(st, Step{Events: []Event{StackEvent("REVIEW_IN_PROGRESS", "User Initiated")}, Status: "REVIEW_IN_PROGRESS"})
	}
	for _, cs := range s.sets {
		if cs.stack == st.id && cs.name == name {
			if cs.token != "" && cs.token == get("ClientToken") {
				return el("Id", cs.arn) + el("StackId", st.id), nil // an idempotent retry
			}
			return "", &Fault{400, "AlreadyExistsException", "ChangeSet " + name + " already exists"}
		}
	}
	cs := &changeSet{arn: s.id("changeSet", name), name: name, stack: st.id, csType: csType,
		status: "CREATE_PENDING", exec: "UNAVAILABLE", template: body, token: get("ClientToken"),
		created: s.tick(), polls: s.csPolls}
	s.sets[cs.arn] = cs
	st.tags = nil
	for i := 1; get(fmt.Sprintf("Tags.member.%d.Key", i)) != ""; i++ {
		st.tags = append(st.tags, [2]string{get(fmt.Sprintf("Tags.member.%d.Key", i)), get(fmt.Sprintf("Tags.member.%d.Value", i))})
	}
	return el("Id", cs.arn) + el("StackId", st.id), nil
}

// checkCapabilities rejects IAM templates sent without the capability, as
// CloudFormation does.
func checkCapabilities(body string, get form) *Fault {
	caps := map[string]bool{}
	for i := 1; get(fmt.Sprintf("Capabilities.member.%d", i)) != ""; i++ {
		caps[get(fmt.Sprintf("Capabilities.member.%d", i))] = true
	}
	for _, r := range parseTemplate(body).Resources {
		if t, _ := r["Type"].(string); strings.HasPrefix(t, "AWS::IAM::") && !caps["CAPABILITY_IAM"] && !caps["CAPABILITY_NAMED_IAM"] {
			return &Fault{400, "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM]"}
		}
	}
	return nil
}

// checkParameters rejects a template whose parameters have no value, as
// CloudFormation does when neither a Default nor a ParameterValue is given.
func checkParameters(body string) *Fault {
	var missing []string
	params := parseTemplate(body).Parameters
	for _, k := range sortedKeys(params) {
		if _, ok := params[k]["Default"]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return &Fault{400, "ValidationError", "Parameters: [" + strings.Join(missing, ", ") + "] must have values"}
	}
	return nil
}

// changeSet finds a change set by ARN, or by name and stack.
func (s *Server) changeSet(get form) (*changeSet, *Fault) {
	if cs, ok := s.sets[get("ChangeSetName")]; ok {
		return cs, nil
	}
	st := s.stack(get("StackName"))
	for _, cs := range s.sets {
		if st != nil && cs.stack == st.id && cs.name == get("ChangeSetName") {
			return cs, nil
		}
	}
	return nil, &Fault{404, "ChangeSetNotFound", "ChangeSet [" + get("ChangeSetName") + "] does not exist"}
}

func (s *Server) describeChangeSet(get form) (string, *Fault) {
	cs, ft := s.changeSet(get)
	if ft != nil {
		return "", ft
	}
	st := s.stack(cs.stack)
	switch {
	case cs.status != "CREATE_PENDING" && cs.status != "CREATE_IN_PROGRESS":
	case cs.polls > 0:
		cs.polls--
		cs.status = "CREATE_IN_PROGRESS"
	case s.csFail != "":
		cs.status, cs.reason = "FAILED", s.csFail
	default:
		cs.changes = diff(st.template, cs.template)
		cs.status, cs.exec = "CREATE_COMPLETE", "AVAILABLE"
		if len(cs.changes) == 0 {
			cs.status, cs.exec = "FAILED", "UNAVAILABLE"
			cs.reason = "The submitted information didn't contain changes. Submit different information to create a change set."
		}
	}
	const pageSize = 2
	start, _ := strconv.Atoi(get("NextToken"))
	var b strings.Builder
	b.WriteString(el("ChangeSetName", cs.name) + el("ChangeSetId", cs.arn) + el("StackId", st.id) +
		el("StackName", st.name) + el("CreationTime", ts(cs.created)) + el("ExecutionStatus", cs.exec) +
		el("Status", cs.status))
	if cs.reason != "" {
		b.WriteString(el("StatusReason", cs.reason))
	}
	b.WriteString("<Changes>")
	for i := start; i < min(start+pageSize, len(cs.changes)); i++ {
		b.WriteString(changeXML(cs.changes[i]))
	}
	b.WriteString("</Changes>")
	if start+pageSize < len(cs.changes) {
		b.WriteString(el("NextToken", strconv.Itoa(start+pageSize)))
	}
	return b.String(), nil
}

func (s *Server) deleteChangeSet(get form) (string, *Fault) {
	cs, ft := s.changeSet(get)
	if ft != nil {
		return "", ft
	}
	delete(s.sets, cs.arn)
	return "", nil
}

func (s *Server) executeChangeSet(get form) (string, *Fault) {
	cs, ft := s.changeSet(get)
	if ft != nil {
		return "", ft
	}
	if cs.exec != "AVAILABLE" {
		return "", &Fault{400, "InvalidChangeSetStatus", "ChangeSet [" + cs.arn + "] cannot be executed in its current execution status of [" + cs.exec + "]"}
	}
	st := s.stack(cs.stack)
	verb := "UPDATE"
	if cs.csType == "CREATE" {
		verb = "CREATE"
	}
	s.apply(st, Step{Events: []Event{StackEvent(verb+"_IN_PROGRESS", "User Initiated")}, Status: verb + "_IN_PROGRESS"})
	if s.script != nil {
		st.pending = append([]Step(nil), s.script...)
	} else {
		st.pending = s.outcome(cs, verb)
	}
	st.template, st.previous = cs.template, st.template
	delete(s.sets, cs.arn)
	return "", nil
}

// outcome reports every change in progress, then complete; a change whose
// resource was set to fail fails, and the stack rolls back.
func (s *Server) outcome(cs *changeSet, verb string) []Step {
	var started, done []Event
	failed := false
	for _, c := range cs.changes {
		v := map[string]string{"Add": "CREATE", "Modify": "UPDATE", "Remove": "DELETE"}[c.action]
		started = append(started, Event{LogicalID: c.logical, Type: c.typ, Status: v + "_IN_PROGRESS"})
		if reason, ok := s.fail[c.logical]; ok {
			done = append(done, Event{LogicalID: c.logical, Type: c.typ, Status: v + "_FAILED", Reason: reason})
			failed = true
			continue
		}
		done = append(done, Event{LogicalID: c.logical, PhysicalID: "phys-" + c.logical, Type: c.typ, Status: v + "_COMPLETE"})
	}
	if !failed {
		done = append(done, StackEvent(verb+"_COMPLETE", ""))
		return []Step{{Events: started}, {Events: done, Status: verb + "_COMPLETE"}}
	}
	final := "ROLLBACK_COMPLETE"
	if verb == "UPDATE" {
		final = "UPDATE_ROLLBACK_COMPLETE"
	}
	rolling := strings.TrimSuffix(final, "COMPLETE") + "IN_PROGRESS"
	done = append(done, StackEvent(rolling, "The following resource(s) failed"))
	return []Step{{Events: started}, {Events: done, Status: rolling},
		{Events: []Event{StackEvent(final, "")}, Status: final}}
}

type template struct {
	Parameters map[string]map[string]any
	Resources  map[string]map[string]any
	Outputs    map[string]struct{ Value any }
}

func parseTemplate(body string) template {
	var t template
	_ = json.Unmarshal([]byte(body), &t)
	return t
}

// createOnly are, per type, the properties whose change forces
// replacement (registry schema createOnlyProperties).
var createOnly = map[string]map[string]bool{
	"AWS::Lambda::EventSourceMapping": {"EventSourceArn": true, "StartingPosition": true, "StartingPositionTimestamp": true},
	"AWS::Kinesis::StreamConsumer":    {"ConsumerName": true, "StreamARN": true},
}

// diff computes resource changes between two templates the way
// CloudFormation reports them.
func diff(old, cur string) []change {
	before, after := parseTemplate(old).Resources, parseTemplate(cur).Resources
	var out []change
	for _, id := range sortedKeys(after) {
		r := after[id]
		typ, _ := r["Type"].(string)
		prev, ok := before[id]
		if !ok {
			out = append(out, change{action: "Add", logical: id, typ: typ})
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
			out = append(out, change{action: "Remove", logical: id, physical: "phys-" + id, typ: typ})
		}
	}
	return out
}

func modify(id, typ string, prev, cur map[string]any) (change, bool) {
	c := change{action: "Modify", logical: id, physical: "phys-" + id, typ: typ, replacement: "False"}
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
func dynamicChanges(changes []change, after map[string]map[string]any) []change {
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
				d := change{action: "Modify", logical: id, physical: "phys-" + id, typ: typ, replacement: "False"}
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
