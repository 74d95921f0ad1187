// Package node is the value model every stage works on: a JSON-like tree
// (null, bool, number, string, sequence, ordered map) in which every value
// keeps the source range it was read from. Values produced by a variable
// keep the range of the "${...}" reference that produced them, so a finding
// about a resolved value still points at the line the user wrote.
package node

import (
	"math"
	"strconv"
	"sync"

	"github.com/stream-events/stream-events/internal/diag"
)

// Kind is the JSON type of a node.
type Kind uint8

// Kinds, in JSON's terms. Numbers follow JavaScript: one float64 type.
const (
	Null Kind = iota
	Bool
	Number
	String
	Seq
	Map
)

// String names the kind the way messages to users say it.
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Seq:
		return "array"
	case Map:
		return "object"
	}
	return "unknown"
}

// Node is one value. Exactly the fields of its Kind are meaningful.
type Node struct {
	Kind Kind
	Bool bool // Bool; beside Kind, which saves a word per node
	// Shared marks a container that a builder placed at many places of
	// one tree (a compiler's per-function FunctionName, a statement's
	// actions): an encoder writes its text once per depth and copies it
	// after that. It is only a hint: the output does not depend on it.
	// It fits in the padding after Bool.
	Shared bool
	Str    string  // String: the value
	Num    float64 // Number
	Items  []*Node // Seq
	Pairs  []Pair  // Map, in source order; keys are unique
	Range  diag.Range
	// Tag is the CloudFormation short tag ("!Ref", "!GetAtt"...) this value
	// was written with, kept for messages; the value itself is already the
	// long form ({"Fn::GetAtt": [...]}), as Serverless reads it.
	Tag string
	// Unresolved is set on a value that stands for a variable which could not
	// be resolved offline (an ${ssm:...}, ${cf:...}, plugin source...): it
	// holds the variable's text. The value itself is then that text as a
	// string; a stage that needs the real value must report it instead of
	// using it.
	Unresolved string
}

// Pair is one entry of a map.
type Pair struct {
	Key   *Node // a String node with the key's own range
	Value *Node
}

// NewString returns a string node.
func NewString(s string, r diag.Range) *Node { return alloc(Node{Kind: String, Str: s, Range: r}) }

// NewNumber returns a number node.
func NewNumber(f float64, r diag.Range) *Node { return alloc(Node{Kind: Number, Num: f, Range: r}) }

// NewBool returns a boolean node.
func NewBool(b bool, r diag.Range) *Node { return alloc(Node{Kind: Bool, Bool: b, Range: r}) }

// NewNull returns a null node.
func NewNull(r diag.Range) *Node { return alloc(Node{Kind: Null, Range: r}) }

// NewSeq returns a sequence node.
func NewSeq(r diag.Range, items ...*Node) *Node {
	return alloc(Node{Kind: Seq, Items: items, Range: r})
}

// NewMap returns an empty map node.
func NewMap(r diag.Range) *Node { return alloc(Node{Kind: Map, Range: r}) }

// New returns a copy of v as a new node.
func New(v Node) *Node { return alloc(v) }

// blockLen is how many nodes one allocation holds.
const blockLen = 64

// block is a run of nodes handed out one by one. Handing out nodes from
// blocks takes the allocator's and the collector's per-object work off the
// tens of nodes each function of a config becomes; a block lives as long as
// any of its nodes, which costs little since a tree is built, used and
// dropped as a whole. A sync.Pool keeps one block per processor, so
// concurrent compiles neither lock nor share.
type block struct{ free []Node }

var blocks = sync.Pool{New: func() any { return new(block) }}

func alloc(v Node) *Node {
	b := blocks.Get().(*block)
	if len(b.free) == 0 {
		b.free = make([]Node, blockLen)
	}
	n := &b.free[0]
	*n = v
	b.free = b.free[1:]
	blocks.Put(b)
	return n
}

// The pairs of maps and the items of sequences that compilers build are
// handed out from blocks too, as empty slices of the capacity asked for:
// one that grows beyond it moves out by itself, so neighbours in a block
// never overlap.
const sliceBlockLen = 512

type (
	pairBlock struct{ free []Pair }
	itemBlock struct{ free []*Node }
)

var (
	pairBlocks = sync.Pool{New: func() any { return new(pairBlock) }}
	itemBlocks = sync.Pool{New: func() any { return new(itemBlock) }}
)

func allocPairs(n int) []Pair {
	b := pairBlocks.Get().(*pairBlock)
	s := carve(&b.free, n)
	pairBlocks.Put(b)
	return s
}

func allocItems(n int) []*Node {
	b := itemBlocks.Get().(*itemBlock)
	s := carve(&b.free, n)
	itemBlocks.Put(b)
	return s
}

// carve returns an empty slice with room for n values, cut from *block (a
// new block when it has no room left): nil for none, a slice of its own
// for a large n. Its capacity is exactly n.
func carve[T any](block *[]T, n int) []T {
	switch {
	case n == 0:
		return nil
	case n > sliceBlockLen/8:
		return make([]T, 0, n)
	}
	if len(*block) < n {
		*block = make([]T, sliceBlockLen)
	}
	s := (*block)[:0:n]
	*block = (*block)[n:]
	return s
}

// Arena hands out nodes, and the pairs and items of new containers, from
// blocks of its own: cheaper than the shared blocks of NewString and
// friends for a builder that makes thousands of nodes (a compiler). One
// arena serves one goroutine. A nil *Arena uses the shared blocks.
//
// Its nodes are used up by index, not resliced: moving an index stores no
// pointer, which spares the write barrier's check of every hand-out (there
// are tens per function; pairs and items are carved once per container).
type Arena struct {
	nodes     []Node
	usedNodes int // how much of nodes is handed out
	pairs     []Pair
	items     []*Node
}

// node returns a zero node of the arena.
func (a *Arena) node() *Node {
	if a.usedNodes == len(a.nodes) {
		a.nodes, a.usedNodes = make([]Node, blockLen), 0
	}
	n := &a.nodes[a.usedNodes]
	a.usedNodes++
	return n
}

// New returns a copy of v as a new node.
func (a *Arena) New(v Node) *Node {
	if a == nil {
		return alloc(v)
	}
	n := a.node()
	*n = v
	return n
}

// The builders below fill a zero node in place rather than copy a whole
// Node value into it.

// String returns a string node.
func (a *Arena) String(s string, r diag.Range) *Node {
	if a == nil {
		return NewString(s, r)
	}
	n := a.node()
	n.Kind, n.Str, n.Range = String, s, r
	return n
}

// Map returns a map node of a copy of pairs, whose keys must be unique.
func (a *Arena) Map(r diag.Range, pairs ...Pair) *Node {
	return a.container(Map, r, append(a.Pairs(len(pairs)), pairs...), nil)
}

// MapCap returns an empty map node with room for n pairs.
func (a *Arena) MapCap(r diag.Range, n int) *Node {
	return a.container(Map, r, a.Pairs(n), nil)
}

// Seq returns a sequence node of a copy of items.
func (a *Arena) Seq(r diag.Range, items ...*Node) *Node {
	return a.container(Seq, r, nil, append(a.Items(len(items)), items...))
}

// SeqCap returns an empty sequence node with room for n items.
func (a *Arena) SeqCap(r diag.Range, n int) *Node {
	return a.container(Seq, r, nil, a.Items(n))
}

func (a *Arena) container(k Kind, r diag.Range, pairs []Pair, items []*Node) *Node {
	if a == nil {
		return alloc(Node{Kind: k, Pairs: pairs, Items: items, Range: r})
	}
	n := a.node()
	n.Kind, n.Range = k, r
	if k == Map {
		n.Pairs = pairs
	} else {
		n.Items = items
	}
	return n
}

// Pairs returns an empty slice with room for n pairs. A slice that grows
// beyond it moves out by itself, so neighbours in a block never overlap.
func (a *Arena) Pairs(n int) []Pair {
	if a == nil {
		return allocPairs(n)
	}
	return carve(&a.pairs, n)
}

// Items returns an empty slice with room for n items, as Pairs does.
func (a *Arena) Items(n int) []*Node {
	if a == nil {
		return allocItems(n)
	}
	return carve(&a.items, n)
}

// IsMap reports whether n is a non-nil map.
func (n *Node) IsMap() bool { return n != nil && n.Kind == Map }

// IsSeq reports whether n is a non-nil sequence.
func (n *Node) IsSeq() bool { return n != nil && n.Kind == Seq }

// IsString reports whether n is a non-nil string.
func (n *Node) IsString() bool { return n != nil && n.Kind == String }

// IsNull reports whether n is absent or null.
func (n *Node) IsNull() bool { return n == nil || n.Kind == Null }

// Get returns the value of key k in map n, or nil.
func (n *Node) Get(k string) *Node {
	if p := n.GetPair(k); p != nil {
		return p.Value
	}
	return nil
}

// GetPair returns the pair of key k in map n, or nil.
func (n *Node) GetPair(k string) *Pair {
	if !n.IsMap() {
		return nil
	}
	for i := range n.Pairs {
		if n.Pairs[i].Key.Str == k {
			return &n.Pairs[i]
		}
	}
	return nil
}

// Set sets key k of map n to v: in place when k exists, else appended, which
// is how JavaScript objects order their string keys.
func (n *Node) Set(k string, v *Node) {
	for i := range n.Pairs {
		if n.Pairs[i].Key.Str == k {
			n.Pairs[i].Value = v
			return
		}
	}
	key := Key(k, v.rangeOrZero())
	if n.Pairs == nil {
		// Maps built key by key mostly get a few keys: start with room
		// for them rather than growing one, two, four.
		n.Pairs = allocPairs(4)
	}
	n.Pairs = append(n.Pairs, Pair{Key: key, Value: v})
}

// Key returns a key node for k: the shared one for a property name that
// templates write over and over (which must never be modified), else a new
// string node with range r.
func Key(k string, r diag.Range) *Node {
	if key, ok := templateKeys[k]; ok {
		return key
	}
	return NewString(k, r)
}

// templateKeys are shared key nodes for the property names compilers write
// over and over: a generated key has no source position, and sharing them
// saves an allocation per property on large templates. They must never be
// modified.
var templateKeys = func() map[string]*Node {
	m := map[string]*Node{}
	for _, k := range []string{"Type", "DependsOn", "Properties", "Metadata", "BatchSize", "Enabled",
		"EventSourceArn", "FunctionName", "ParallelizationFactor", "StartingPosition",
		"MaximumBatchingWindowInSeconds", "MaximumRetryAttempts", "BisectBatchOnFunctionError",
		"FunctionResponseTypes", "MaximumRecordAgeInSeconds", "TumblingWindowInSeconds", "DestinationConfig",
		"OnFailure", "Destination", "FilterCriteria", "Filters", "Pattern", "StartingPositionTimestamp",
		"StreamARN", "ConsumerName", "Ref", "Fn::GetAtt", "Fn::Join", "Effect", "Action", "Resource",
		"Description", "Value", "Statement", "Version", "PolicyName", "PolicyDocument", "Roles"} {
		m[k] = &Node{Kind: String, Str: k}
	}
	return m
}()

// Delete removes key k from map n.
func (n *Node) Delete(k string) {
	for i := range n.Pairs {
		if n.Pairs[i].Key.Str == k {
			n.Pairs = append(n.Pairs[:i:i], n.Pairs[i+1:]...)
			return
		}
	}
}

func (n *Node) rangeOrZero() diag.Range {
	if n == nil {
		return diag.Range{}
	}
	return n.Range
}

// Path walks map keys and returns the node at the end, or nil.
func (n *Node) Path(keys ...string) *Node {
	for _, k := range keys {
		n = n.Get(k)
		if n == nil {
			return nil
		}
	}
	return n
}

// Truthy reports JavaScript truthiness, which Serverless uses for most
// "is this option set" decisions.
func (n *Node) Truthy() bool {
	if n == nil {
		return false
	}
	switch n.Kind {
	case Null:
		return false
	case Bool:
		return n.Bool
	case Number:
		return n.Num != 0 && !math.IsNaN(n.Num)
	case String:
		return n.Str != ""
	}
	return true
}

// Clone returns a deep copy of n.
func (n *Node) Clone() *Node {
	if n == nil {
		return nil
	}
	c := *n
	if n.Items != nil {
		c.Items = make([]*Node, len(n.Items))
		for i, it := range n.Items {
			c.Items[i] = it.Clone()
		}
	}
	if n.Pairs != nil {
		c.Pairs = make([]Pair, len(n.Pairs))
		for i, p := range n.Pairs {
			c.Pairs[i] = Pair{Key: p.Key.Clone(), Value: p.Value.Clone()}
		}
	}
	return &c
}

// JSString converts a scalar the way JavaScript's String() does; it is
// what a value becomes when Serverless interpolates it into a string.
func (n *Node) JSString() string {
	if n == nil {
		return "undefined"
	}
	switch n.Kind {
	case Null:
		return "null"
	case Bool:
		return strconv.FormatBool(n.Bool)
	case Number:
		return FormatNumber(n.Num)
	case String:
		return n.Str
	case Seq:
		s := ""
		for i, it := range n.Items {
			if i > 0 {
				s += ","
			}
			if !it.IsNull() {
				s += it.JSString()
			}
		}
		return s
	}
	return "[object Object]"
}

// Describe names the value for a message: its kind, and a short rendering
// of scalars.
func (n *Node) Describe() string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case String:
		return "string " + strconv.Quote(truncate(n.Str, 80))
	case Number, Bool:
		return n.Kind.String() + " " + n.JSString()
	}
	return n.Kind.String()
}

func truncate(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max]) + "…"
}
