package cfntest

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

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

// WriteError answers a Query-protocol request with ft as an AWS error, for
// test servers of their own (one that records headers, say).
func WriteError(w http.ResponseWriter, ft Fault) {
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", "req-1")
	w.WriteHeader(ft.Status)
	typ := "Sender"
	if ft.Status >= 500 {
		typ = "Receiver"
	}
	fmt.Fprintf(w, `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>%s</Type>%s%s</Error><RequestId>req-1</RequestId></ErrorResponse>`,
		typ, el("Code", ft.Code), el("Message", ft.Message))
}

func stackXML(st *stack) string {
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

// templateOutputs returns literal output values; others become
// "value-of-KEY".
func templateOutputs(body string) [][2]string {
	outputs := parseTemplate(body).Outputs
	var out [][2]string
	for _, k := range sortedKeys(outputs) {
		v, ok := outputs[k].Value.(string)
		if !ok {
			v = "value-of-" + k
		}
		out = append(out, [2]string{k, v})
	}
	return out
}

func eventXML(st *stack, e event) string {
	s := "<member>" + el("StackId", st.id) + el("EventId", e.id) + el("StackName", st.name) +
		el("LogicalResourceId", e.LogicalID) + el("ResourceType", e.Type) + el("Timestamp", ts(e.ts)) +
		el("ResourceStatus", e.Status)
	if e.PhysicalID != "" {
		s += el("PhysicalResourceId", e.PhysicalID)
	}
	if e.Reason != "" {
		s += el("ResourceStatusReason", e.Reason)
	}
	return s + "</member>"
}

func changeXML(c change) string {
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
