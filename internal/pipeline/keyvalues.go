package pipeline

import (
	"fmt"
	"strings"
)

// KeyValues are key=value pairs in the order they were first given: options,
// parameters and tags, from repeatable flags or YAML inputs. A key given
// again keeps its place and takes the new value.
type KeyValues struct {
	name string // the flag or input, for errors
	m    map[string]string
	keys []string
}

// NewKeyValues returns an empty set read from the flag or input name.
func NewKeyValues(name string) KeyValues { return KeyValues{name: name} }

// String implements flag.Value.
func (kv *KeyValues) String() string { return "" }

// Set parses one key=value (flag.Value).
func (kv *KeyValues) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("%s wants key=value, got %q", kv.name, s)
	}
	kv.add(k, v)
	return nil
}

// add sets key k to v.
func (kv *KeyValues) add(k, v string) {
	if kv.m == nil {
		kv.m = map[string]string{}
	}
	if _, dup := kv.m[k]; !dup {
		kv.keys = append(kv.keys, k)
	}
	kv.m[k] = v
}

// Keys are the keys in order.
func (kv KeyValues) Keys() []string { return kv.keys }

// Get is the value of k.
func (kv KeyValues) Get(k string) string { return kv.m[k] }
