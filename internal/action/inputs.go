package action

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sethvargo/go-githubactions"
	"gopkg.in/yaml.v3"

	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/pipeline"
)

// actionDefaults are the defaults action.yml declares. The runner fills
// them in for `uses: owner/repo@v1`, but not for `uses: docker://image`,
// which reads no action.yml: the binary must apply them itself. A test
// checks that action.yml says the same.
var actionDefaults = map[string]string{
	"config":                  "serverless.yml",
	"working-directory":       ".",
	"mode":                    "standalone",
	"fail-on":                 "error",
	"annotations":             "true",
	"sarif-file":              ".stream-events/results.sarif",
	"template-dir":            ".stream-events/templates",
	"artifact-name":           "stream-events-template",
	"deploy":                  "off",
	"timeout":                 "60m",
	"termination-protection":  "false",
	"disable-rollback":        "false",
	"keep-change-set":         "false",
	"stage":                   "",
	"region":                  "",
	"options":                 "",
	"params":                  "",
	"role-name":               "",
	"artifact-retention-days": "",
	"stack-name":              "",
	"role-to-assume":          "",
	"role-arn":                "",
	"s3-bucket":               "",
	"tags":                    "",
	"template-parameters":     "",
	"parameters":              "", // deprecated alias of template-parameters
	"plan":                    "auto",
	"comment":                 "auto",
	"github-token":            "${{ github.token }}",
	"annotate":                "all",
	"serverless-stack":        "",
	"preflight":               "true",
}

// inputs are the Action's inputs, parsed and checked.
type inputs struct {
	configs       []string // paths or globs, relative to workingDir
	workingDir    string
	stage, region string
	opts, params  pipeline.KeyValues
	mode          string // template mode: standalone or serverless
	roleName      string
	failOn        diag.Severity // 0: never
	annotations   bool
	sarifFile     string
	templateDir   string
	artifactName  string
	retentionDays int

	deploy       string // off, preview, execute or auto
	roleToAssume string
	warnings     []string // about the inputs, for the log and the run's page
	deployOptions
	reviewInputs
}

// deployOptions are the deploy inputs, which `stream-events deploy` takes
// as flags.
type deployOptions struct {
	stackName       string
	parameters      serviceParams // values for the standalone template's Parameters
	parametersInput string        // the input they came from, for messages
	serverlessStack string        // where the other values are read
	settings        deploy.Input  // the stack settings of every deploy
	preflight       bool          // check the account before any change set
}

// inputReader reads INPUT_* variables the way the runner writes them.
type inputReader struct {
	gh     *githubactions.Action
	getenv func(string) (string, bool)
}

// get returns an input, trimmed, or its default when the variable is not
// set at all. An input set to "" stays "": `artifact-name: ”` disables
// the upload.
func (r inputReader) get(name string) string {
	if _, ok := r.getenv(inputVar(name)); !ok {
		return actionDefaults[name]
	}
	return r.gh.GetInput(name)
}

func (r inputReader) bool(name string) (bool, error) {
	switch v := r.get(name); v {
	case "true", "True", "TRUE":
		return true, nil
	case "false", "False", "FALSE", "":
		return false, nil
	default:
		return false, fmt.Errorf("input %s must be true or false, not %q", name, v)
	}
}

// oneOf returns the input if it is one of allowed.
func (r inputReader) oneOf(name string, allowed ...string) (string, error) {
	v := r.get(name)
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", fmt.Errorf("input %s must be %s or %s, not %q", name, strings.Join(allowed[:len(allowed)-1], ", "), allowed[len(allowed)-1], v)
}

// inputMapping parses a mapping input: nil for an empty one, an error
// naming the input when it is no YAML mapping of the expected form (what),
// or when a key is given twice.
func inputMapping(name, v, what string) (*yaml.Node, error) {
	if v == "" {
		return nil, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(v), &doc); err != nil {
		return nil, fmt.Errorf("input %s: not YAML: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("input %s must be a YAML mapping of %s", name, what)
	}
	return m, duplicateKey(name, m)
}

// yamlMap parses a YAML mapping of scalars, keeping the order it is
// written in (tags are sent and shown in that order).
func (r inputReader) yamlMap(name string) (pipeline.KeyValues, error) {
	kv := pipeline.NewKeyValues(name)
	m, err := inputMapping(name, r.get(name), "key: value lines")
	if m == nil || err != nil {
		return kv, err
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, val := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || val.Kind != yaml.ScalarNode || k.Value == "" {
			return kv, fmt.Errorf("input %s: line %d: keys and values must be plain scalars", name, k.Line)
		}
		if err := kv.Set(k.Value + "=" + val.Value); err != nil {
			return kv, err
		}
	}
	return kv, nil
}

// readInputs parses every input, reporting the first problem.
func readInputs(r inputReader) (inputs, error) {
	var in inputs
	var err error
	steps := []func() error{
		func() error { in.configs = splitLines(r.get("config")); return nil },
		func() error { in.workingDir = r.get("working-directory"); return nil },
		func() error {
			in.stage, in.region, in.roleName = r.get("stage"), r.get("region"), r.get("role-name")
			return nil
		},
		func() (err error) { in.opts, err = r.yamlMap("options"); return err },
		func() (err error) { in.params, err = r.yamlMap("params"); return err },
		func() (err error) { in.mode, err = r.oneOf("mode", "standalone", "serverless"); return err },
		func() error { return readFailOn(r, &in) },
		func() (err error) { in.annotations, err = r.bool("annotations"); return err },
		func() error { in.sarifFile, in.templateDir = r.get("sarif-file"), r.get("template-dir"); return nil },
		func() error { in.artifactName = r.get("artifact-name"); return nil },
		func() (err error) {
			in.retentionDays, err = readRetention(r.get("artifact-retention-days"))
			return err
		},
		func() error { return readDeployInputs(r, &in) },
		func() error { return readReviewInputs(r, &in) },
	}
	for _, step := range steps {
		if err = step(); err != nil {
			return in, err
		}
	}
	if len(in.configs) == 0 {
		return in, fmt.Errorf("input config is empty: give a path or glob such as serverless.yml or services/*/serverless.yml")
	}
	return in, nil
}

func readFailOn(r inputReader, in *inputs) error {
	v, err := r.oneOf("fail-on", "error", "warning", "never")
	if err != nil {
		return err
	}
	if v != "never" {
		in.failOn, _ = diag.ParseSeverity(v)
	}
	return nil
}

// readRetention reads artifact-retention-days: empty keeps the
// repository's default; otherwise 1 to 90 days, as upload-artifact takes.
func readRetention(v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 90 {
		return 0, fmt.Errorf("input artifact-retention-days must be a whole number of days from 1 to 90, not %q", v)
	}
	return n, nil
}

func readDeployInputs(r inputReader, in *inputs) error {
	var err error
	if in.deploy, err = r.oneOf("deploy", "off", "preview", "execute", "auto"); err != nil {
		return err
	}
	in.stackName, in.roleToAssume = r.get("stack-name"), r.get("role-to-assume")
	if in.stackName != "" && !deploy.ValidStackName(in.stackName) {
		return exit.Usagef("input stack-name %q is not a CloudFormation stack name: a letter, then letters, digits and hyphens, at most 128 characters", in.stackName)
	}
	in.settings.RoleARN, in.settings.S3Bucket = r.get("role-arn"), r.get("s3-bucket")
	tags, err := r.yamlMap("tags")
	if err != nil {
		return err
	}
	in.settings.Tags = deploy.Tags(tags.Keys(), tags.Get)
	if in.parametersInput, err = parametersInput(r, in); err != nil {
		return err
	}
	if in.parameters, err = readServiceParams(in.parametersInput, r.get(in.parametersInput)); err != nil {
		return err
	}
	in.serverlessStack = r.get("serverless-stack")
	if in.settings.Timeout, err = time.ParseDuration(r.get("timeout")); err != nil || in.settings.Timeout <= 0 {
		return fmt.Errorf("input timeout must be a duration such as 30m or 1h30m, not %q", r.get("timeout"))
	}
	bools := []struct {
		name string
		dst  *bool
	}{{"termination-protection", &in.settings.TerminationProtection}, {"disable-rollback", &in.settings.DisableRollback}, {"keep-change-set", &in.settings.KeepChangeSet}, {"preflight", &in.preflight}}
	for _, b := range bools {
		if *b.dst, err = r.bool(b.name); err != nil {
			return err
		}
	}
	return nil
}

// parametersInput names the input the template's Parameters are read
// from: template-parameters, or its deprecated name parameters (with a
// warning). The runner sets both to their default "" when a workflow gives
// neither, so only a value counts as given.
func parametersInput(r inputReader, in *inputs) (string, error) {
	switch newer, older := r.get("template-parameters"), r.get("parameters"); {
	case older == "":
		return "template-parameters", nil
	case newer != "":
		return "", fmt.Errorf("inputs template-parameters and parameters are both given: parameters is the deprecated name of template-parameters; keep only template-parameters")
	}
	in.warnings = append(in.warnings, "input parameters is deprecated: rename it template-parameters (options and params are the ${opt:} and ${param:} variables of serverless.yml)")
	return "parameters", nil
}

// splitLines splits a multi-line input into its non-empty trimmed lines.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
