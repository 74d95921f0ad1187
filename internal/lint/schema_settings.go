package lint

import (
	"strconv"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/suggest"
)

// The typed settings outside the stream events that Serverless v3.40.0's
// schema constrains (lib/config-schema.js, lib/plugins/aws/provider.js):
// the top level, provider and function settings people write. Serverless
// only warns about them in its default mode and stops on them with
// configValidationMode: error (issue 11 item 7). They are not stream
// problems and its runtime list is older than Lambda's (nodejs22.x), so they
// are warnings unless Serverless would stop.

var ruleSchemaSetting = diag.Rule{
	ID:          "schema-setting",
	Severity:    diag.Error,
	Summary:     "a setting outside the stream events that Serverless v3's schema refuses (runtime, memorySize, timeout, an event type...)",
	Serverless:  true,
	Description: "A top-level, provider or function setting outside the stream events (runtime, memorySize, timeout, logRetentionInDays, architecture, tracing, an event type...) does not pass Serverless v3.40.0's schema. Serverless only warns about it in its default mode, so it is reported as a warning; with configValidationMode: error (or --strict) Serverless stops, and so does compile.",
	Help:        "Serverless 3.40.0's runtime list ends at nodejs20.x and python3.11: a newer runtime is only a warning unless configValidationMode is error.",
}

// runtimes is awsLambdaRuntime: an enum without a type, never coerced.
var runtimes = []string{"dotnet6", "go1.x", "java21", "java17", "java11", "java8", "java8.al2",
	"nodejs14.x", "nodejs16.x", "nodejs18.x", "nodejs20.x", "provided", "provided.al2", "provided.al2023",
	"python3.7", "python3.8", "python3.9", "python3.10", "python3.11", "ruby2.7", "ruby3.2"}

// logRetentionDays is awsLogRetentionInDays: {type: number, enum}.
var logRetentionDays = []float64{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827,
	2192, 2557, 2922, 3288, 3653}

const (
	kLogRetention propKind = iota + 100 // {type: number, enum: logRetentionDays}
	kTracing                            // {anyOf: [{enum: [Active, PassThrough]}, {type: boolean}]}
	kString                             // {type: string}
	kStringEnum                         // {type: string, enum}
	kConstTrue                          // {const: true}
)

var (
	lambdaSettings = []prop{
		{name: "runtime", kind: kEnum, enum: runtimes},
		{name: "memorySize", kind: kInteger, min: 128, max: 10240},
		{name: "timeout", kind: kInteger, min: 1, max: 900},
		{name: "logRetentionInDays", kind: kLogRetention},
		{name: "architecture", kind: kEnum, enum: []string{"arm64", "x86_64"}},
	}
	providerSettings = append([]prop{
		{name: "versionFunctions", kind: kBoolean},
		{name: "deploymentMethod", kind: kEnum, enum: []string{"changesets", "direct"}},
		{name: "disableRollback", kind: kBoolean},
	}, lambdaSettings...)
	functionSettings = append([]prop{
		{name: "handler", kind: kString},
		{name: "versionFunction", kind: kBoolean},
		{name: "disableLogs", kind: kBoolean},
		{name: "snapStart", kind: kBoolean},
		{name: "tracing", kind: kTracing},
		{name: "maximumRetryAttempts", kind: kInteger, min: 0, max: 2},
		{name: "maximumEventAge", kind: kInteger, min: 60, max: 21600},
		{name: "ephemeralStorageSize", kind: kInteger, min: 512, max: 10240},
	}, lambdaSettings...)
	topLevelSettings = []prop{
		{name: "configValidationMode", kind: kEnum, enum: []string{"error", "warn", "off"}},
		{name: "deprecationNotificationMode", kind: kEnum, enum: []string{"error", "warn", "warn:summary"}},
		{name: "variablesResolutionMode", kind: kStringEnum, enum: []string{"20210219", "20210326"}},
		{name: "frameworkVersion", kind: kString},
		{name: "useDotenv", kind: kConstTrue},
	}
)

// schemaSettings checks the settings of topLevelSettings, providerSettings
// and functionSettings, with the severity Serverless gives them.
func (p *pass) schemaSettings(root *node.Node) {
	from := len(p.findings)
	p.settings(root, topLevelSettings)
	if pv := root.Get("provider"); pv.IsMap() && !opaque(pv) {
		if name := pv.Get("name"); name.IsString() && name.Str == "aws" {
			p.settings(pv, providerSettings)
		}
	}
	if fns := root.Get("functions"); fns.IsMap() && !opaque(fns) {
		for _, f := range fns.Pairs {
			if f.Value.IsMap() && !opaque(f.Value) {
				p.settings(f.Value, functionSettings)
				if root.Get("plugins") == nil {
					p.eventTypes(f.Value.Get("events"))
				}
			}
		}
	}
	sev, note := diag.Warning, " (Serverless only warns; it stops on it with configValidationMode: error)"
	switch ValidationMode(root) {
	case "error":
		sev, note = diag.Error, " (Serverless stops on it: configValidationMode is error)"
	case "off":
		note = "" // Lint adds that Serverless does not report it
	}
	if p.opts.Strict {
		sev = diag.Error
	}
	for i := from; i < len(p.findings); i++ {
		p.findings[i].Severity = sev
		p.findings[i].Message += note
	}
}

// ValidationMode is the config's configValidationMode: "warn" (Serverless's
// default), "error" or "off".
func ValidationMode(root *node.Node) string {
	if v := root.Get("configValidationMode"); v.IsString() {
		return v.Str
	}
	return "warn"
}

// eventTypes is Serverless's event list: the events its AWS plugins
// define (defineFunctionEvent). A plugin may define more, so it is only
// checked for a service without plugins.
var eventTypes = []string{"activemq", "alb", "alexaSkill", "alexaSmartHome", "cloudFront", "cloudwatchEvent",
	"cloudwatchLog", "cognitoUserPool", "eventBridge", "http", "httpApi", "iot", "iotFleetProvisioning", "kafka",
	"msk", "rabbitmq", "s3", "schedule", "sns", "sqs", "stream", "websocket"}

// isEventType is contains(eventTypes, k) as a switch: it runs for every
// event of every function. TestIsEventType holds the two equal.
func isEventType(k string) bool {
	switch k {
	case "activemq", "alb", "alexaSkill", "alexaSmartHome", "cloudFront", "cloudwatchEvent",
		"cloudwatchLog", "cognitoUserPool", "eventBridge", "http", "httpApi", "iot", "iotFleetProvisioning", "kafka",
		"msk", "rabbitmq", "s3", "schedule", "sns", "sqs", "stream", "websocket":
		return true
	}
	return false
}

// eventTypes reports an events item none of whose keys is an event type
// ("unsupported function event").
func (p *pass) eventTypes(events *node.Node) {
	if !events.IsSeq() || opaque(events) {
		return
	}
	for _, it := range events.Items {
		if !it.IsMap() || opaque(it) || len(it.Pairs) == 0 {
			continue
		}
		known := false
		for _, pr := range it.Pairs {
			known = known || isEventType(pr.Key.Str)
		}
		k := it.Pairs[0].Key
		// A near miss of stream is schema-unknown-key's: an error, since
		// the function silently reads nothing (schemaMisspelledStream).
		if !known && !(len(it.Pairs) == 1 && suggest.Closest(k.Str, []string{"stream"}, 2) != "") {
			p.report(&ruleSchemaSetting, k, "unknown event type %q%s", k.Str, didYouMean(k.Str, eventTypes))
		}
	}
}

func (p *pass) settings(m *node.Node, props []prop) {
	for _, pr := range m.Pairs {
		if spec := findProp(props, pr.Key.Str); spec != nil {
			p.checkSetting(pr.Key.Str, pr.Value, *spec)
		}
	}
}

// checkSetting checks one setting. A null is never checked: Serverless
// deletes nulls before validating.
func (p *pass) checkSetting(name string, v *node.Node, spec prop) {
	if opaque(v) || v.Kind == node.Null {
		return
	}
	switch spec.kind {
	case kLogRetention:
		f, ok := asNumber(v)
		if !ok {
			p.report(&ruleSchemaSetting, v, "%s must be a number of days, found %s", name, describe(v))
			return
		}
		for _, d := range logRetentionDays {
			if f == d {
				return
			}
		}
		p.report(&ruleSchemaSetting, v, "%s %s is not allowed; CloudWatch Logs keeps logs 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 2192, 2557, 2922, 3288 or 3653 days", name, num(f))
	case kTracing:
		if _, ok := asBool(v); ok {
			return
		}
		if s, ok := str(v); ok && (s == "Active" || s == "PassThrough") {
			return
		}
		p.report(&ruleSchemaSetting, v, "%s must be \"Active\", \"PassThrough\" or a boolean, found %s", name, quoted(v))
	case kString, kStringEnum:
		s, ok := asString(v)
		if !ok {
			p.report(&ruleSchemaSetting, v, "%s must be a string, found %s", name, describe(v))
			return
		}
		if spec.kind == kStringEnum && !contains(spec.enum, s) {
			p.report(&ruleSchemaSetting, v, "%s %s is not allowed; use %s", name, strconv.Quote(s), quoteList(spec.enum, "or"))
		}
	case kConstTrue:
		if v.Kind != node.Bool || !v.Bool {
			p.report(&ruleSchemaSetting, v, "%s must be true (leave it out to not load .env files), found %s", name, quoted(v))
		}
	default:
		if name == "runtime" {
			if s, ok := str(v); !ok || !contains(runtimes, s) {
				p.report(&ruleSchemaSetting, v, "runtime %s is not among the runtimes Serverless 3.40.0 knows (nodejs14.x to nodejs20.x, python3.7 to python3.11, java8 to java21, ruby2.7, ruby3.2, dotnet6, go1.x, provided, provided.al2, provided.al2023)", quoted(v))
			}
			return
		}
		// An integer, boolean or enum, checked as a stream property is.
		from := len(p.findings)
		p.checkProp(name, v, spec)
		for i := from; i < len(p.findings); i++ {
			p.findings[i].Rule = ruleSchemaSetting.ID
		}
	}
}

// quoted describes v, a string by its quoted value.
func quoted(v *node.Node) string {
	if s, ok := str(v); ok {
		return strconv.Quote(s)
	}
	return describe(v)
}
