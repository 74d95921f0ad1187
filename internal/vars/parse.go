package vars

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/stream-events/stream-events/internal/jsnum"

	"github.com/stream-events/stream-events/internal/node"
)

// This file is a port of Serverless v3.40.0
// lib/configuration/variables/parse.js: the same state machine, the same
// states and the same error messages, so that exactly the strings Serverless
// treats as variables are variables here. Offsets are bytes into the parsed
// string; error messages report indexes in UTF-16 code units as JavaScript
// does. Every state compares only ASCII characters, so walking UTF-8 bytes
// instead of UTF-16 units takes the same transitions.

// Var is one "${...}" variable, or one escape ("\${" written to keep a
// literal "${").
type Var struct {
	// Start and End are byte offsets of the variable in the parsed string
	// (End exclusive).
	Start, End int
	// Whole is set when the variable spans its entire value (the whole
	// string, or the whole param or address it is nested in): its resolved
	// value then replaces the value with its own type.
	Whole bool
	// Escape marks an escape: the text Start..End is replaced by Text.
	Escape bool
	Text   string
	// Sources are the source and its fallbacks, in order.
	Sources []*Source

	ctx        int    // JavaScript's contextStart when the variable was registered
	srcForTest string // set by tests only
}

// Source is one source of a variable: a typed source (Type set) or a
// literal fallback value (Type empty, Literal set).
type Source struct {
	Type string
	// Params are the "(...)" arguments; HasParams tells "type()" from "type".
	Params    []*Meta
	HasParams bool
	Address   *Meta
	Literal   *node.Node // the literal value of a fallback: null, boolean, number or string
}

// Meta is a param or an address: a literal value, or a string holding
// variables.
type Meta struct {
	Value *node.Node // literal value; for a string with variables, the raw string
	Vars  []Var
	Start int // byte offset of the meta in the parsed string
}

// SyntaxError is a variable syntax error; Offset is the byte offset the
// message refers to.
type SyntaxError struct {
	Msg    string
	Offset int
}

func (e *SyntaxError) Error() string { return e.Msg }

type pstate uint8

const (
	stOut pstate = iota
	stEscapeVar
	stEscapeVarDollar
	stMaybeVariableOpen
	stMaybeTypeStart
	stMaybeNextSourceStart
	stMaybeType
	stTypeOrSourceLiteral
	stParamStart
	stParam
	stAfterParamString
	stMaybeAddressOpen
	stMaybeAddressStart
	stAddress
	stAfterAddressString
	stAfterSourceLiteralString
	stForeign
	stEscapeString
	stDoubleQuotedString
	stSingleQuotedString
)

type varList struct{ items []Var }

type pcontext struct {
	state            pstate
	variableStart    int
	contextStart     int
	variables        *varList
	contextVariables *varList
	currentSource    *Source
	sources          []*Source
}

type parser struct {
	value string
	index int

	state         pstate
	stringContext pstate
	variables     *varList
	sources       []*Source // nil until the variable's first source ends
	contexts      []pcontext
	currentSource *Source

	contextStart     int
	contextVariables *varList
	escapeVarStart   int // -1: null
	variableStart    int
	sourceStart      int
	paramStart       int
	addressStart     int
}

// Parse returns the variables of s, or nil when s holds none. It never
// panics; a malformed variable is a *SyntaxError.
func Parse(s string) ([]Var, error) {
	if !strings.Contains(s, "${") {
		return nil, nil
	}
	p := &parser{value: s, escapeVarStart: -1}
	return p.run()
}

func (p *parser) errf(off int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Msg: fmt.Sprintf(format, args...), Offset: off}
}

func (p *parser) idx(off int) int { return utf16Index(p.value, off) }

func (p *parser) finalizeSource() {
	p.sources = append(p.sources, p.currentSource)
	p.currentSource = nil
	p.state = stMaybeNextSourceStart
}

func (p *parser) finalizeVariable() {
	p.finalizeSource()
	if p.variables == nil {
		p.variables = &varList{}
	}
	p.variables.items = append(p.variables.items, Var{Start: p.variableStart, End: p.index + 1, Sources: p.sources, ctx: p.contextStart})
	p.sources = nil
	p.releaseContext()
}

func (p *parser) registerVarEscape() {
	if p.variables == nil {
		p.variables = &varList{}
	}
	n := (p.index - 1 - p.escapeVarStart - 1 + 1) / 2 // Math.ceil((n-1)/2) for n >= 1
	p.variables.items = append(p.variables.items, Var{
		Start: p.escapeVarStart, End: p.index, Escape: true, ctx: p.contextStart,
		Text: strings.Repeat(`\`, n) + p.value[p.index-1:p.index],
	})
	p.escapeVarStart = -1
}

func (p *parser) registerSlashEscape() {
	if p.variables == nil {
		p.variables = &varList{}
	}
	n := (p.index - 1 - p.escapeVarStart - 1 + 1) / 2
	p.variables.items = append(p.variables.items, Var{
		Start: p.escapeVarStart, End: p.index - 1, Escape: true, ctx: p.contextStart,
		Text: strings.Repeat(`\`, n),
	})
	p.escapeVarStart = -1
}

// registerContext enters a nested "${": newStart is JavaScript's
// newContextStart, where 0 means "keep the current context" (as 0 is falsy).
func (p *parser) registerContext(newStart int) {
	if p.variables == nil {
		p.variables = &varList{}
	}
	if newStart != 0 && p.contextVariables == nil {
		p.contextVariables = &varList{}
	}
	p.contexts = append(p.contexts, pcontext{
		state: p.state, variableStart: p.variableStart, contextStart: p.contextStart,
		variables: p.variables, contextVariables: p.contextVariables,
		currentSource: p.currentSource, sources: p.sources,
	})
	p.state = stMaybeVariableOpen
	p.variableStart = p.index
	p.sources = nil
	if newStart != 0 {
		p.contextStart = newStart
		p.variables = p.contextVariables
	}
}

func (p *parser) releaseContext() {
	if len(p.contexts) == 0 {
		p.state = stOut
		return
	}
	c := p.contexts[len(p.contexts)-1]
	p.contexts = p.contexts[:len(p.contexts)-1]
	p.state, p.variableStart, p.variables, p.contextVariables = c.state, c.variableStart, c.variables, c.contextVariables
	p.currentSource, p.sources = c.currentSource, c.sources
	if p.state == stParam {
		p.paramStart = p.contextStart
	}
	if p.state == stAddress {
		p.addressStart = p.contextStart
	}
	p.contextStart = c.contextStart
}

// inVariableContext reports JavaScript's
// "contexts && contexts.some((context) => context.state !== 'foreign')".
func (p *parser) inVariableContext() bool {
	for _, c := range p.contexts {
		if c.state != stForeign {
			return true
		}
	}
	return false
}

// normalize is normalizeMetaVariables: a single variable spanning the whole
// meta value (offsets relative to the context it was registered in) is Whole.
func normalize(metaValue string, vars []Var) []Var {
	if len(vars) == 1 && vars[0].Start == vars[0].ctx && vars[0].End-vars[0].ctx == len(metaValue) {
		vars[0].Whole = true
	}
	return vars
}

func (p *parser) generateMeta(raw string, start int, vars *varList) *Meta {
	m := &Meta{Start: start}
	if vars == nil || len(vars.items) == 0 {
		m.Value = falsyToNull(literalNode(raw))
		return m
	}
	m.Value = node.NewString(raw, noRange)
	m.Vars = normalize(raw, vars.items)
	return m
}

// generateMetaLit is generateMeta for an already parsed literal value:
// "{ value: metaValue || null }", so false, 0 and "" become null.
func generateMetaLit(v *node.Node, start int) *Meta {
	return &Meta{Value: falsyToNull(v), Start: start}
}

func falsyToNull(v *node.Node) *node.Node {
	if !v.Truthy() {
		return node.NewNull(noRange)
	}
	return v
}

func literalNode(s string) *node.Node { return node.NewString(s, noRange) }

func (p *parser) parseString(start int) (*node.Node, error) {
	if p.value[start] == '\'' {
		s := strings.TrimSpace(p.value[start:p.index])
		return node.NewString(s[1:len(s)-1], noRange), nil
	}
	var out string
	if err := json.Unmarshal([]byte(p.value[start:p.index]), &out); err != nil {
		return nil, p.errf(start, "Invalid string literal at index %d in \"%s\": %s", p.idx(start), p.value, jsonMessage(err))
	}
	return node.NewString(out, noRange), nil
}

func jsonMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "json: ")
}

func (p *parser) parseLiteralSource(literal string, fallbackToInput bool) (*node.Node, error) {
	switch literal {
	case "true":
		return node.NewBool(true, noRange), nil
	case "false":
		return node.NewBool(false, noRange), nil
	case "null":
		return node.NewNull(noRange), nil
	}
	if f, ok := jsnum.Number(literal); ok {
		return node.NewNumber(f, noRange), nil
	}
	if fallbackToInput {
		return node.NewString(literal, noRange), nil
	}
	return nil, p.errf(p.sourceStart, "Invalid literal source \"%s\" at index %d in \"%s\"", literal, p.idx(p.sourceStart), p.value)
}

func (p *parser) run() ([]Var, error) {
	for p.index = 0; p.index < len(p.value); p.index++ {
		if err := p.step(p.value[p.index]); err != nil {
			return nil, err
		}
	}
	if p.currentSource != nil || p.sources != nil {
		return nil, p.errf(len(p.value), "Missing variable closing bracket in %s", p.value)
	}
	if p.variables == nil {
		return nil, nil
	}
	return normalize(p.value, p.variables.items), nil
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

func isAlnum(c byte) bool {
	return isLower(c) || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
}

// isType is /^[a-z][a-zA-Z0-9]*$/.
func isType(s string) bool {
	if s == "" || !isLower(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) || c == '.' || c == '-' {
			return false
		}
	}
	return true
}

var noRange = zeroRange()

func (p *parser) step(c byte) error {
	switch p.state {
	case stOut:
		switch c {
		case '\\':
			if p.escapeVarStart < 0 {
				p.escapeVarStart = p.index
			}
			p.state = stEscapeVar
		case '$':
			p.variableStart = p.index
			p.state = stMaybeVariableOpen
		default:
			p.escapeVarStart = -1
		}
	case stEscapeVar:
		if c == '$' {
			p.state = stEscapeVarDollar
		} else {
			if c != '\\' {
				p.escapeVarStart = -1
			}
			p.state = stOut
		}
	case stEscapeVarDollar:
		p.stepEscapeVarDollar(c)
	case stMaybeVariableOpen:
		if c == '{' {
			if p.escapeVarStart >= 0 {
				p.registerSlashEscape()
			}
			p.state = stMaybeTypeStart
		} else {
			p.escapeVarStart = -1
			if c != '$' {
				p.releaseContext()
			}
		}
	case stMaybeTypeStart:
		return p.stepMaybeTypeStart(c)
	case stMaybeNextSourceStart:
		return p.stepMaybeNextSourceStart(c)
	case stMaybeType:
		return p.stepMaybeType(c)
	case stTypeOrSourceLiteral:
		return p.stepTypeOrSourceLiteral(c)
	case stParamStart:
		return p.stepParamStart(c)
	case stParam:
		return p.stepParam(c)
	case stAfterParamString:
		return p.stepAfterParamString(c)
	case stMaybeAddressOpen:
		return p.stepMaybeAddressOpen(c)
	case stMaybeAddressStart:
		return p.stepMaybeAddressStart(c)
	case stAddress:
		p.stepAddress(c)
	case stAfterAddressString:
		return p.stepAfterAddressString(c)
	case stAfterSourceLiteralString:
		return p.stepAfterSourceLiteralString(c)
	case stForeign:
		if c == '}' {
			p.releaseContext()
		} else if c == '$' {
			p.registerContext(p.contextStart)
		}
	case stEscapeString:
		p.state = stDoubleQuotedString
	case stDoubleQuotedString:
		if c == '"' {
			p.state = p.stringContext
		} else if c == '\\' {
			p.state = stEscapeString
		}
	case stSingleQuotedString:
		if c == '\'' {
			p.state = p.stringContext
		}
	}
	return nil
}

func (p *parser) stepEscapeVarDollar(c byte) {
	if c == '{' {
		p.registerVarEscape()
		p.state = stOut
		return
	}
	p.escapeVarStart = -1
	switch c {
	case '\\':
		p.escapeVarStart = p.index
		p.state = stEscapeVar
	case '$':
		p.variableStart = p.index
		p.state = stMaybeVariableOpen
	default:
		p.state = stOut
	}
}

func (p *parser) stepMaybeTypeStart(c byte) error {
	switch {
	case isLower(c):
		p.sourceStart = p.index
		p.state = stMaybeType
	case p.inVariableContext():
		return p.errf(p.index, "Invalid variable type at index %d in \"%s\"", p.idx(p.index), p.value)
	case c == '}':
		p.releaseContext()
	default:
		p.state = stForeign
		if c == '$' {
			p.registerContext(p.contextStart)
		}
	}
	return nil
}

func (p *parser) stepMaybeNextSourceStart(c byte) error {
	if c == ' ' {
		return nil
	}
	p.sourceStart = p.index
	switch {
	case isAlnum(c):
		p.state = stTypeOrSourceLiteral
	case c == '"':
		p.stringContext = stAfterSourceLiteralString
		p.state = stDoubleQuotedString
	case c == '\'':
		p.stringContext = stAfterSourceLiteralString
		p.state = stSingleQuotedString
	default:
		return p.errf(p.index, "Invalid variable source at index %d in \"%s\"", p.idx(p.index), p.value)
	}
	return nil
}

func (p *parser) stepMaybeType(c byte) error {
	switch {
	case c == ':':
		p.currentSource = &Source{Type: p.value[p.sourceStart:p.index]}
		p.state = stMaybeAddressStart
	case c == '(':
		p.currentSource = &Source{Type: p.value[p.sourceStart:p.index], HasParams: true}
		p.state = stParamStart
	case !isAlnum(c):
		if p.inVariableContext() {
			return p.errf(p.sourceStart, "Invalid variable type at index %d in \"%s\"", p.idx(p.sourceStart), p.value)
		}
		if c == '}' {
			p.releaseContext()
		} else {
			p.state = stForeign
			if c == '$' {
				p.registerContext(p.contextStart)
			}
		}
	}
	return nil
}

func (p *parser) invalidSource() error {
	return p.errf(p.sourceStart, "Invalid variable source at index %d in \"%s\"", p.idx(p.sourceStart), p.value)
}

func (p *parser) stepTypeOrSourceLiteral(c byte) error {
	switch {
	case c == ' ':
	case c == ':' || c == '(':
		typ := p.value[p.sourceStart:p.index]
		if !isType(typ) {
			return p.invalidSource()
		}
		p.currentSource = &Source{Type: typ, HasParams: c == '('}
		if c == ':' {
			p.state = stMaybeAddressStart
		} else {
			p.state = stParamStart
		}
	case c == '}':
		lit, err := p.parseLiteralSource(strings.TrimSpace(p.value[p.sourceStart:p.index]), false)
		if err != nil {
			return err
		}
		p.currentSource = &Source{Literal: lit}
		p.finalizeVariable()
	case !isAlnum(c):
		return p.invalidSource()
	}
	return nil
}

func (p *parser) invalidParam(off int) error {
	return p.errf(off, "Invalid variable param at index %d in \"%s\"", p.idx(off), p.value)
}

func (p *parser) stepParamStart(c byte) error {
	switch c {
	case ' ':
	case ')':
		p.state = stMaybeAddressOpen
	case ',':
		p.currentSource.Params = append(p.currentSource.Params, &Meta{Value: node.NewNull(noRange), Start: p.index})
	case '}':
		return p.invalidParam(p.index)
	default:
		p.paramStart = p.index
		switch c {
		case '"':
			p.stringContext = stAfterParamString
			p.state = stDoubleQuotedString
		case '\'':
			p.stringContext = stAfterParamString
			p.state = stSingleQuotedString
		default:
			p.state = stParam
			p.contextVariables = nil
			if c == '$' {
				p.registerContext(p.paramStart)
			}
		}
	}
	return nil
}

func (p *parser) pushParam(raw string) {
	var m *Meta
	if p.contextVariables == nil {
		lit, _ := p.parseLiteralSource(raw, true)
		m = generateMetaLit(lit, p.paramStart)
	} else {
		m = p.generateMeta(raw, p.paramStart, p.contextVariables)
	}
	p.currentSource.Params = append(p.currentSource.Params, m)
}

func (p *parser) stepParam(c byte) error {
	switch c {
	case ')':
		if raw := strings.TrimSpace(p.value[p.paramStart:p.index]); raw != "" {
			p.pushParam(raw)
		}
		p.state = stMaybeAddressOpen
	case ',':
		p.pushParam(strings.TrimSpace(p.value[p.paramStart:p.index]))
		p.state = stParamStart
	case '}':
		return p.invalidParam(p.paramStart)
	case '$':
		p.registerContext(p.paramStart)
	}
	return nil
}

func (p *parser) stepAfterParamString(c byte) error {
	switch c {
	case ' ':
	case ')', ',':
		v, err := p.parseString(p.paramStart)
		if err != nil {
			return err
		}
		p.currentSource.Params = append(p.currentSource.Params, &Meta{Value: v, Start: p.paramStart})
		if c == ')' {
			p.state = stMaybeAddressOpen
		} else {
			p.state = stParamStart
		}
	default:
		return p.invalidParam(p.paramStart)
	}
	return nil
}

func (p *parser) invalidAddress(off int) error {
	return p.errf(off, "Invalid variable address at index %d in \"%s\"", p.idx(off), p.value)
}

func (p *parser) stepMaybeAddressOpen(c byte) error {
	switch c {
	case ' ':
	case ':':
		p.state = stMaybeAddressStart
	case '}':
		p.finalizeVariable()
	case ',':
		p.finalizeSource()
	default:
		return p.invalidAddress(p.index)
	}
	return nil
}

func (p *parser) stepMaybeAddressStart(c byte) error {
	switch c {
	case ' ':
		return nil
	case '}':
		p.finalizeVariable()
		return nil
	case ',':
		p.finalizeSource()
		return nil
	}
	p.addressStart = p.index
	switch c {
	case ':':
		if !p.currentSource.HasParams && !p.inVariableContext() {
			p.currentSource = nil
			p.state = stForeign
			return nil
		}
		return p.invalidAddress(p.addressStart)
	case '"':
		p.stringContext = stAfterAddressString
		p.state = stDoubleQuotedString
	case '\'':
		p.stringContext = stAfterAddressString
		p.state = stSingleQuotedString
	default:
		p.state = stAddress
		p.contextVariables = nil
		if c == '$' {
			p.registerContext(p.addressStart)
		}
	}
	return nil
}

func (p *parser) stepAddress(c byte) {
	switch c {
	case '}', ',':
		p.currentSource.Address = p.generateMeta(strings.TrimSpace(p.value[p.addressStart:p.index]), p.addressStart, p.contextVariables)
		if c == '}' {
			p.finalizeVariable()
		} else {
			p.finalizeSource()
		}
	case '$':
		p.registerContext(p.addressStart)
	}
}

func (p *parser) stepAfterAddressString(c byte) error {
	switch c {
	case ' ':
	case '}', ',':
		v, err := p.parseString(p.addressStart)
		if err != nil {
			return err
		}
		p.currentSource.Address = &Meta{Value: v, Start: p.addressStart}
		if c == '}' {
			p.finalizeVariable()
		} else {
			p.finalizeSource()
		}
	default:
		return p.invalidAddress(p.addressStart)
	}
	return nil
}

func (p *parser) stepAfterSourceLiteralString(c byte) error {
	switch c {
	case ' ':
	case '}':
		v, err := p.parseString(p.sourceStart)
		if err != nil {
			return err
		}
		p.currentSource = &Source{Literal: v}
		p.finalizeVariable()
	default:
		return p.invalidSource()
	}
	return nil
}
