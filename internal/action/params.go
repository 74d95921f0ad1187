package action

import (
	"fmt"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/stream-events/stream-events/internal/pipeline"
)

// serviceParams is the parameters input: values for every service, and
// values for one service keyed by its name or config path (issue 9).
type serviceParams struct {
	all pipeline.KeyValues
	by  map[string]pipeline.KeyValues
}

// readServiceParams parses the template-parameters input (or its old
// name, input): a YAML mapping whose
// scalar values apply to every service, and whose mapping values apply to
// the service named by their key.
func readServiceParams(input, v string) (serviceParams, error) {
	p := serviceParams{all: pipeline.NewKeyValues(input), by: map[string]pipeline.KeyValues{}}
	m, err := inputMapping(input, v, "Name: value lines, or of service: mapping")
	if m == nil || err != nil {
		return p, err
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, val := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			return p, fmt.Errorf("input %s: line %d: keys must be plain scalars", input, k.Line)
		}
		switch val.Kind {
		case yaml.ScalarNode:
			_ = p.all.Set(k.Value + "=" + val.Value)
		case yaml.MappingNode:
			if err := duplicateKey(input, val); err != nil {
				return p, err
			}
			kv := pipeline.NewKeyValues("parameters for " + k.Value)
			for j := 0; j+1 < len(val.Content); j += 2 {
				pk, pv := val.Content[j], val.Content[j+1]
				if pk.Kind != yaml.ScalarNode || pv.Kind != yaml.ScalarNode || pk.Value == "" {
					return p, fmt.Errorf("input %s: line %d: under %s, keys and values must be plain scalars", input, pk.Line, k.Value)
				}
				_ = kv.Set(pk.Value + "=" + pv.Value)
			}
			p.by[k.Value] = kv
		default:
			return p, fmt.Errorf("input %s: line %d: %s must be a value, or a mapping for the service of that name or config path", input, k.Line, k.Value)
		}
	}
	return p, nil
}

// duplicateKey refuses a key given twice in one mapping of an input:
// yaml.v3 keeps both, the runner's YAML and js-yaml refuse them, and which
// one wins would be a guess.
func duplicateKey(input string, m *yaml.Node) error {
	first := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if line, ok := first[k.Value]; ok {
			return fmt.Errorf("input %s: line %d: key %q is given twice (first on line %d)", input, k.Line, k.Value, line)
		}
		first[k.Value] = k.Line
	}
	return nil
}

// forService is the values for one service: those for all, then those
// under its name, then those under its config path, the later winning.
func (p serviceParams) forService(name, config string) pipeline.KeyValues {
	out := pipeline.NewKeyValues("parameters")
	for _, kv := range []pipeline.KeyValues{p.all, p.by[name], p.by[config]} {
		for _, k := range kv.Keys() {
			_ = out.Set(k + "=" + kv.Get(k))
		}
	}
	return out
}

// unused reports keys naming no service, which are likely typos.
func (p serviceParams) unused(services []*service) []string {
	known := map[string]bool{}
	for _, s := range services {
		known[s.name], known[s.config] = true, true
	}
	var out []string
	for k := range p.by {
		if !known[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
