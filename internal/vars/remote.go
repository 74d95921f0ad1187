package vars

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

type remoteResult struct {
	v   *node.Node
	err error
}

// remoteSource validates cf, ssm and s3 variables as their sources do,
// then resolves them through Options.Remote.
func (r *resolver) remoteSource(c *call) (*node.Node, string, *verr) {
	a, ok := c.addr()
	if !ok {
		return nil, "", errorf(RuleUnresolved, "Missing address argument in variable %q source", c.typ)
	}
	switch c.typ {
	case "cf":
		if !strings.Contains(a, ".") {
			return nil, "", errorf(RuleUnresolved, `Unsupported %q address argument in variable "cf" source. Expected "<stack-name>.<output-id>" format`, a)
		}
	case "s3":
		if !strings.Contains(a, "/") {
			return nil, "", errorf(RuleUnresolved, `Unsupported %q address argument in variable "s3" source. Expected "<bucket-name>/<key>" format`, a)
		}
	}
	var params []string
	for _, p := range c.params {
		if p.IsNull() {
			params = append(params, "")
			continue
		}
		params = append(params, p.JSString())
	}
	return r.remote(c, c.typ, strings.Join(params, ","), a)
}

var remoteWhat = map[string]string{
	"cf": "a CloudFormation stack output", "ssm": "an SSM parameter",
	"s3": "an S3 object", "aws": "the AWS account ID",
}

func (r *resolver) remote(c *call, kind, param, address string) (*node.Node, string, *verr) {
	if r.o.Remote == nil {
		return nil, "", &verr{pending: c.text, offline: true, msg: fmt.Sprintf("%q reads %s, which needs AWS credentials; it is not resolved offline", c.text, remoteWhat[kind])}
	}
	key := kind + "\x00" + param + "\x00" + address
	res, ok := r.remotes[key]
	if !ok {
		v, err := r.o.Remote.Resolve(r.o.Ctx, kind, param, address)
		res = remoteResult{err: err}
		if err == nil {
			res.v = fromGo(v, diag.Range{})
		}
		r.remotes[key] = res
	}
	if res.err != nil {
		// A missing parameter or output is no value, as in Serverless: a
		// fallback applies, else the message explains.
		var nf interface{ NotFound() bool }
		if errors.As(res.err, &nf) && nf.NotFound() {
			return nil, res.err.Error(), nil
		}
		e := errorf(RuleRemote, "%s", res.err.Error())
		return nil, "", e
	}
	v, e := r.copy(res.v, c.st.n.Range)
	return v, "", e
}

// fromGo converts a decoded JSON value to a node; nil is no value.
func fromGo(v any, at diag.Range) *node.Node {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return node.NewString(x, at)
	case bool:
		return node.NewBool(x, at)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return node.NewNull(at) // JSON.stringify turns them into null
		}
		return node.NewNumber(x, at)
	case int:
		return node.NewNumber(float64(x), at)
	case int64:
		return node.NewNumber(float64(x), at)
	case []string:
		s := node.NewSeq(at)
		for _, it := range x {
			s.Items = append(s.Items, node.NewString(it, at))
		}
		return s
	case []any:
		s := node.NewSeq(at)
		for _, it := range x {
			c := fromGo(it, at)
			if c == nil {
				c = node.NewNull(at)
			}
			s.Items = append(s.Items, c)
		}
		return s
	case map[string]any:
		m := node.NewMap(at)
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if c := fromGo(x[k], at); c != nil {
				m.Pairs = append(m.Pairs, node.Pair{Key: node.NewString(k, at), Value: c})
			}
		}
		return m
	}
	return node.NewString(fmt.Sprint(v), at)
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortStrings(s []string) []string { sort.Strings(s); return s }
