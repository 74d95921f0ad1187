package deploy

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func (f *fakeCFN) createChangeSet(get form) (string, *fault) {
	name, stackName, csType := get("ChangeSetName"), get("StackName"), get("ChangeSetType")
	body := get("TemplateBody")
	if u := get("TemplateURL"); u != "" {
		var ok bool
		if body, ok = f.objects[u]; !ok {
			return "", &fault{400, "ValidationError", "TemplateURL must be a supported URL: " + u}
		}
	}
	if ft := checkCapabilities(body, get); ft != nil {
		return "", ft
	}
	st := f.stack(stackName)
	switch {
	case csType == "CREATE" && st != nil && st.status != "REVIEW_IN_PROGRESS":
		return "", &fault{400, "AlreadyExistsException", "Stack [" + stackName + "] already exists"}
	case csType != "CREATE" && st == nil:
		return "", notExist(stackName)
	case csType != "CREATE" && (st.status == "ROLLBACK_COMPLETE" || st.status == "REVIEW_IN_PROGRESS"):
		return "", &fault{400, "ValidationError", "Stack:" + st.id + " is in " + st.status + " state and can not be updated."}
	case st == nil:
		st = &fakeStack{id: f.id("stack", stackName), name: stackName}
		f.stacks = append(f.stacks, st)
		f.apply(st, step{events: []fakeEvent{stackEvent(st, "REVIEW_IN_PROGRESS", "User Initiated")}, status: "REVIEW_IN_PROGRESS"})
	}
	for _, cs := range f.sets {
		if cs.stack == st.id && cs.name == name {
			if cs.token != "" && cs.token == get("ClientToken") {
				return el("Id", cs.arn) + el("StackId", st.id), nil // an idempotent retry
			}
			return "", &fault{400, "AlreadyExistsException", "ChangeSet " + name + " already exists"}
		}
	}
	cs := &fakeCS{arn: f.id("changeSet", name), name: name, stack: st.id, csType: csType,
		status: "CREATE_PENDING", exec: "UNAVAILABLE", template: body, token: get("ClientToken"),
		created: f.tick(), polls: f.csPolls}
	f.sets[cs.arn] = cs
	st.tags = nil
	for i := 1; get(fmt.Sprintf("Tags.member.%d.Key", i)) != ""; i++ {
		st.tags = append(st.tags, [2]string{get(fmt.Sprintf("Tags.member.%d.Key", i)), get(fmt.Sprintf("Tags.member.%d.Value", i))})
	}
	return el("Id", cs.arn) + el("StackId", st.id), nil
}

// checkCapabilities rejects IAM templates sent without the capability, as
// CloudFormation does.
func checkCapabilities(body string, get form) *fault {
	caps := map[string]bool{}
	for i := 1; get(fmt.Sprintf("Capabilities.member.%d", i)) != ""; i++ {
		caps[get(fmt.Sprintf("Capabilities.member.%d", i))] = true
	}
	for _, r := range templateResources(body) {
		if t, _ := r["Type"].(string); strings.HasPrefix(t, "AWS::IAM::") && !caps["CAPABILITY_IAM"] && !caps["CAPABILITY_NAMED_IAM"] {
			return &fault{400, "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM]"}
		}
	}
	return nil
}

// changeSet finds a change set by ARN, or by name and stack.
func (f *fakeCFN) changeSet(get form) (*fakeCS, *fault) {
	if cs, ok := f.sets[get("ChangeSetName")]; ok {
		return cs, nil
	}
	st := f.stack(get("StackName"))
	for _, cs := range f.sets {
		if st != nil && cs.stack == st.id && cs.name == get("ChangeSetName") {
			return cs, nil
		}
	}
	return nil, &fault{404, "ChangeSetNotFound", "ChangeSet [" + get("ChangeSetName") + "] does not exist"}
}

func (f *fakeCFN) describeChangeSet(get form) (string, *fault) {
	cs, ft := f.changeSet(get)
	if ft != nil {
		return "", ft
	}
	st := f.stack(cs.stack)
	switch {
	case cs.status != "CREATE_PENDING" && cs.status != "CREATE_IN_PROGRESS":
	case cs.polls > 0:
		cs.polls--
		cs.status = "CREATE_IN_PROGRESS"
	case f.csFail != "":
		cs.status, cs.reason = "FAILED", f.csFail
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

func (f *fakeCFN) deleteChangeSet(get form) (string, *fault) {
	cs, ft := f.changeSet(get)
	if ft != nil {
		return "", ft
	}
	delete(f.sets, cs.arn)
	return "", nil
}

func (f *fakeCFN) executeChangeSet(get form) (string, *fault) {
	cs, ft := f.changeSet(get)
	if ft != nil {
		return "", ft
	}
	if cs.exec != "AVAILABLE" {
		return "", &fault{400, "InvalidChangeSetStatus", "ChangeSet [" + cs.arn + "] cannot be executed in its current execution status of [" + cs.exec + "]"}
	}
	cs.exec, cs.disableRollback = "EXECUTE_IN_PROGRESS", get("DisableRollback") == "true"
	st := f.stack(cs.stack)
	verb := "UPDATE"
	if cs.csType == "CREATE" {
		verb = "CREATE"
	}
	f.apply(st, step{events: []fakeEvent{stackEvent(st, verb+"_IN_PROGRESS", "User Initiated")}, status: verb + "_IN_PROGRESS"})
	if f.script != nil {
		st.pending = f.script(st, cs)
	} else {
		st.pending = successScript(st, cs, verb)
	}
	st.template = cs.template
	delete(f.sets, cs.arn)
	return "", nil
}

// successScript reports every change in progress, then complete.
func successScript(st *fakeStack, cs *fakeCS, verb string) []step {
	var started, done []fakeEvent
	for _, c := range cs.changes {
		v := map[string]string{"Add": "CREATE", "Modify": "UPDATE", "Remove": "DELETE"}[c.action]
		started = append(started, fakeEvent{logical: c.logical, typ: c.typ, status: v + "_IN_PROGRESS"})
		done = append(done, fakeEvent{logical: c.logical, physical: "phys-" + c.logical, typ: c.typ, status: v + "_COMPLETE"})
	}
	done = append(done, stackEvent(st, verb+"_COMPLETE", ""))
	return []step{{events: started}, {events: done, status: verb + "_COMPLETE"}}
}

// XML rendering, after the SDK's response snapshots.

func el(name, value string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(value))
	return "<" + name + ">" + b.String() + "</" + name + ">"
}

func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func writeOK(w http.ResponseWriter, action, body string) {
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", "req-1")
	fmt.Fprintf(w, `<%sResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><%sResult>%s</%sResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></%sResponse>`,
		action, action, body, action, action)
}

func writeErr(w http.ResponseWriter, ft fault) {
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", "req-1")
	w.WriteHeader(ft.status)
	typ := "Sender"
	if ft.status >= 500 {
		typ = "Receiver"
	}
	fmt.Fprintf(w, `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>%s</Type>%s%s</Error><RequestId>req-1</RequestId></ErrorResponse>`,
		typ, el("Code", ft.code), el("Message", ft.msg))
}

func stackXML(st *fakeStack) string {
	var b strings.Builder
	b.WriteString("<member>" + el("StackId", st.id) + el("StackName", st.name) +
		el("CreationTime", "2026-11-28T03:00:00.000Z") + el("StackStatus", st.status))
	if st.reason != "" {
		b.WriteString(el("StackStatusReason", st.reason))
	}
	b.WriteString(el("EnableTerminationProtection", strconv.FormatBool(st.termProt)) + "<Tags>")
	for _, t := range st.tags {
		b.WriteString("<member>" + el("Key", t[0]) + el("Value", t[1]) + "</member>")
	}
	b.WriteString("</Tags><Outputs>")
	for _, o := range templateOutputs(st.template) {
		b.WriteString("<member>" + el("OutputKey", o[0]) + el("OutputValue", o[1]) + "</member>")
	}
	b.WriteString("</Outputs></member>")
	return b.String()
}

// templateOutputs returns literal output values; others become "value-of-KEY".
func templateOutputs(body string) [][2]string {
	var t struct {
		Outputs map[string]struct{ Value any }
	}
	_ = json.Unmarshal([]byte(body), &t)
	var out [][2]string
	for _, k := range sortedKeys(t.Outputs) {
		v, ok := t.Outputs[k].Value.(string)
		if !ok {
			v = "value-of-" + k
		}
		out = append(out, [2]string{k, v})
	}
	return out
}

func eventXML(st *fakeStack, e fakeEvent) string {
	s := "<member>" + el("StackId", st.id) + el("EventId", e.id) + el("StackName", st.name) +
		el("LogicalResourceId", e.logical) + el("ResourceType", e.typ) + el("Timestamp", ts(e.ts)) +
		el("ResourceStatus", e.status)
	if e.physical != "" {
		s += el("PhysicalResourceId", e.physical)
	}
	if e.reason != "" {
		s += el("ResourceStatusReason", e.reason)
	}
	return s + "</member>"
}

func changeXML(c fakeChange) string {
	s := "<member><Type>Resource</Type><ResourceChange>" + el("Action", c.action) +
		el("LogicalResourceId", c.logical) + el("ResourceType", c.typ)
	if c.physical != "" {
		s += el("PhysicalResourceId", c.physical)
	}
	if c.replacement != "" {
		s += el("Replacement", c.replacement)
	}
	if len(c.targets) > 0 {
		s += "<Scope><member>Properties</member></Scope><Details>"
		for _, t := range c.targets {
			s += "<member><Target>" + el("Attribute", "Properties") + el("Name", t[0]) +
				el("RequiresRecreation", t[1]) + "</Target>" + el("Evaluation", "Static") +
				el("ChangeSource", "DirectModification") + "</member>"
		}
		s += "</Details>"
	}
	return s + "</ResourceChange></member>"
}
