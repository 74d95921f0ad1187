package loader

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/stream-events/stream-events/internal/lazyre"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/vars"
)

// withDotenv mirrors Serverless v3's useDotenv: when the config sets it,
// the variables of .env.<stage> (or, when that file is missing, .env) in
// the service's folder are visible to ${env:...}, below the real
// environment, which dotenv never overrides. The stage is --stage, else
// provider.stage as written, else "dev", as Serverless picks it before it
// resolves anything. The secret names stay refused: vars checks names.
func withDotenv(root *node.Node, o vars.Options, read func(string) ([]byte, error)) vars.Options {
	if !root.Get("useDotenv").Truthy() {
		return o
	}
	stage := o.Stage
	if stage == "" {
		stage = "dev"
		if s := root.Path("provider", "stage"); s.IsString() && s.Str != "" {
			stage = s.Str
		}
	}
	var data []byte
	for _, name := range []string{".env." + stage, ".env"} {
		b, err := read(filepath.Join(o.ServiceDir, name))
		if err == nil {
			data = b
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	if data == nil {
		return o
	}
	env := parseDotenv(string(data), o.Getenv)
	real := o.Getenv
	o.Getenv = func(k string) (string, bool) {
		if real != nil {
			if v, ok := real(k); ok {
				return v, true
			}
		}
		v, ok := env[k]
		return v, ok
	}
	return o
}

var (
	dotenvLine = lazyre.New(`^\s*(?:export\s+)?([\w.-]+)\s*[=:]\s?(.*)$`)
	dotenvRef  = lazyre.New(`(\\?)\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}?`)
)

// parseDotenv reads KEY=value lines as the dotenv package does (quotes,
// comments, "export"), then expands $VAR and ${VAR} as dotenv-expand does,
// from the real environment first.
func parseDotenv(src string, getenv func(string) (string, bool)) map[string]string {
	out := map[string]string{}
	var order []string
	for _, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		m := dotenvLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		v := strings.TrimSpace(m[2])
		switch {
		case len(v) >= 2 && (v[0] == '"' || v[0] == '\'' || v[0] == '`') && strings.IndexByte(v[1:], v[0]) >= 0:
			q := v[0]
			v = v[1 : 1+strings.IndexByte(v[1:], q)]
			if q == '"' {
				v = strings.NewReplacer(`\n`, "\n", `\r`, "\r").Replace(v)
			}
		default:
			if i := strings.Index(v, " #"); i >= 0 {
				v = strings.TrimSpace(v[:i])
			}
		}
		if _, seen := out[m[1]]; !seen {
			order = append(order, m[1])
		}
		out[m[1]] = v
	}
	for _, k := range order {
		out[k] = dotenvRef.ReplaceAllStringFunc(out[k], func(ref string) string {
			sm := dotenvRef.FindStringSubmatch(ref)
			if sm[1] != "" {
				return ref[1:] // an escaped \$
			}
			if getenv != nil {
				if v, ok := getenv(sm[2]); ok {
					return v
				}
			}
			if v, ok := out[sm[2]]; ok {
				return v
			}
			return sm[3]
		})
	}
	return out
}
