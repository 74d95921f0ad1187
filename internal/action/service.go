package action

import (
	"context"
	"fmt"
	"path"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/stream-events/stream-events/internal/annotate"
	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/files"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/pipeline"
	"github.com/stream-events/stream-events/internal/redact"
	"github.com/stream-events/stream-events/internal/rules"
	"github.com/stream-events/stream-events/internal/vars"
)

// service is one serverless.yml and everything the Action learnt about it.
type service struct {
	config string // workspace-relative, forward slashes
	cfg    *loader.Config
	name   string // the Serverless service name, once known
	stage  string
	region string

	sources   map[string][]byte // redacted config and ${file()} contents, by workspace-relative path
	findings  diag.Findings     // sorted, workspace-relative
	template  []byte            // the template in the chosen mode; nil if it cannot be compiled
	tplPath   string            // workspace-relative path it was written to
	tplRel    string            // its path below the template dir and in the artifact
	resources []annotate.Resource
	compiled  *compile.Result
	err       error // the config could not be read at all
	// noStreams: the service has no stream events, so no template. That
	// is a log line and a summary row, not a finding: one code-scanning
	// alert per such service of a monorepo would be noise.
	noStreams bool

	deploy *deployOutcome // nil when not deployed
}

// serviceJob is what every worker shares.
type serviceJob struct {
	ctx    context.Context
	getenv func(string) (string, bool)
	files  *files.Dir // at the workspace root
	root   string     // the workspace root; findings are relative to it
	req    pipeline.Request
	opts   pipeline.Options
	// remote gives the resolver for variables that need AWS in a region;
	// nil when there are no credentials.
	remote func(region string) vars.Remote
	// envRegion, when set, is the region of a config that names none:
	// AWS_REGION for a deploy, whose stack must be in the region the
	// template was compiled for.
	envRegion string
	red       *redact.Redactor
	now       time.Time
}

// processServices loads, lints and compiles every config on a bounded
// pool of workers. Each service is independent; results keep the order of
// configs, so the log and summary do not depend on scheduling. When the
// run is cancelled it returns at once: a service not done by then carries
// the cancellation as its error, and the Action reports what it has.
func processServices(job serviceJob, configs []string) []*service {
	type done struct {
		i int
		s *service
	}
	out := make([]*service, len(configs))
	results := make(chan done, len(configs)) // never blocks a worker left behind
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(configs)) {
		go func() {
			for i := range next {
				results <- done{i, job.process(configs[i])}
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range configs {
			select {
			case next <- i:
			case <-job.ctx.Done():
				return
			}
		}
	}()
	for range configs {
		select {
		case r := <-results:
			out[r.i] = r.s
		case <-job.ctx.Done():
			for i, s := range out {
				if s == nil {
					out[i] = &service{config: configs[i], name: path.Base(path.Dir("/" + configs[i])),
						err: fmt.Errorf("not processed: %w", context.Cause(job.ctx))}
				}
			}
			return out
		}
	}
	return out
}

func (job serviceJob) process(config string) *service {
	s := &service{config: config, name: path.Base(path.Dir("/" + config))}
	if f, ok := refuseConfig(config); !ok {
		s.name, s.findings = "", diag.Findings{f}
		return s
	}
	req := job.req
	req.Config = config
	cfg, err := pipeline.Load(job.ctx, req, job.envRegion, job.remote)
	if exit.Code(err) == exit.Usage { // serverless.js: a finding on that file
		s.findings = diag.Findings{{Rule: loader.RuleConfigFile, Severity: diag.Error, Range: diag.Range{File: config}, Message: exit.Message(err)}}
		return s
	}
	if err != nil {
		s.err = err
		return s
	}
	s.cfg, s.stage, s.region = cfg, cfg.Stage, cfg.Region
	if n := cfg.Root.Get("service"); n.IsString() && n.Str != "" {
		s.name = n.Str
	}
	findings, tpl, res, cf, err := pipeline.LintCompile(cfg, job.opts, job.now)
	if err != nil {
		s.err = err
		return s
	}
	s.noStreams = tpl == nil && slices.ContainsFunc(cf, isNoStreamNotice)
	findings = append(findings, slices.DeleteFunc(cf, isNoStreamNotice)...)
	s.compiled = res
	if res != nil && res.Service != nil && res.Service.Name != "" {
		s.name = res.Service.Name
	}
	if tpl != nil {
		s.template = pipeline.Bytes(tpl, job.opts.Mode)
		s.resources = resourceRows(res)
		findings = append(findings, job.checkSecrets(s)...)
	}
	s.findings = annotate.Relativize(diag.Findings(findings).Sorted(), job.root, job.root)
	return s
}

// refuseConfig is the finding for a matched path the Action does not
// load: a file that is no Serverless config, or a path holding a control
// character, which would forge lines in the line-based outputs
// (template-paths: "a\n/etc/cron.d/evil") and in logs.
func refuseConfig(config string) (diag.Finding, bool) {
	f := diag.Finding{Rule: loader.RuleConfigFile, Severity: diag.Error, Range: diag.Range{File: config}}
	switch {
	case strings.ContainsFunc(config, unicode.IsControl):
		f.Message = fmt.Sprintf("the path %q holds a control character (a newline, carriage return, tab, ...); rename it: the Action neither loads it nor writes its template", config)
	case configKind(config) == notConfig:
		f.Severity = diag.Warning
		f.Message = "not a Serverless configuration (serverless.yml, .yaml or .json), skipped; narrow the config input's glob to leave it out"
	default:
		return f, true
	}
	return f, false
}

// checkSecrets refuses a template that carries a known credential: it
// would be written to disk, uploaded as an artifact and sent to AWS.
func (job serviceJob) checkSecrets(s *service) diag.Findings {
	from, ok := job.red.Find(s.template)
	if !ok {
		return nil
	}
	s.template = nil
	return diag.Findings{{Rule: rules.TemplateSecret, Severity: diag.Error, Range: job.secretRange(s),
		Message: fmt.Sprintf("the compiled template contains the value of %s; remove the credential from the config", from)}}
}

// secretRange points at the first line of the config that holds a secret
// (a token pasted into it); one that came in through a variable has no line
// of its own, and the finding points at the top of the file.
func (job serviceJob) secretRange(s *service) diag.Range {
	r := diag.Range{File: s.config, Start: diag.Pos{Line: 1, Col: 1}}
	if s.cfg == nil {
		return r
	}
	for i, line := range strings.Split(string(s.cfg.Source), "\n") {
		if job.red.String(line) != line {
			r.Start.Line = i + 1
			return r
		}
	}
	return r
}

// resourceRows lists the compiled resources for the summary.
func resourceRows(res *compile.Result) []annotate.Resource {
	if res == nil || res.Resources == nil {
		return nil
	}
	byID := map[string]*compile.Mapping{}
	for _, m := range res.Mappings {
		byID[m.LogicalID] = m
		if m.Consumer != nil {
			byID[m.Consumer.LogicalID] = m
		}
	}
	rows := []annotate.Resource{}
	for _, p := range res.Resources.Pairs {
		r := annotate.Resource{LogicalID: p.Key.Str, Type: resourceType(p.Value)}
		if m := byID[p.Key.Str]; m != nil {
			r.Stream = streamLabel(m)
			if m.Event != nil && m.Event.Function != nil {
				r.Function = m.Event.Function.Name
			}
		}
		rows = append(rows, r)
	}
	return rows
}

func resourceType(n *node.Node) string {
	if t := n.Get("Type"); t.IsString() {
		return t.Str
	}
	return ""
}

// streamLabel names a mapping's source: the ARN when written as a string,
// else its type and the name Serverless derives.
func streamLabel(m *compile.Mapping) string {
	if m.StreamARN.IsString() {
		return m.StreamARN.Str
	}
	return strings.TrimSpace(m.StreamType + " " + m.StreamName)
}

// redactServices replaces every value a sink shows of the services (paths,
// names, findings, source snippets, compiled resources) by its redacted
// copy, before any of it is rendered and escaped: an escaper rewrites a
// secret so that redacting its output would miss it (internal/redact).
// What is not shown (the loaded config, the template, which a secret
// refuses in checkSecrets) stays as it is for the deploy.
func redactServices(red *redact.Redactor, services []*service) {
	for _, s := range services {
		s.config, s.name, s.stage, s.region = red.String(s.config), red.String(s.name), red.String(s.stage), red.String(s.region)
		s.findings = red.Findings(s.findings)
		for i, r := range s.resources {
			s.resources[i] = annotate.Resource{LogicalID: red.String(r.LogicalID), Type: red.String(r.Type),
				Stream: red.String(r.Stream), Function: red.String(r.Function)}
		}
		if s.cfg != nil && len(s.findings) > 0 { // sources only show in findings' snippets
			s.sources = make(map[string][]byte, len(s.cfg.Sources))
			for p, data := range s.cfg.Sources {
				s.sources[red.String(p)] = red.Bytes(data)
			}
		}
	}
}

// isNoStreamNotice is the notice (SkipEmpty) for a service without stream
// events.
func isNoStreamNotice(f diag.Finding) bool {
	return f.Severity == diag.Notice && compile.IsNoStreamEvents(f)
}
