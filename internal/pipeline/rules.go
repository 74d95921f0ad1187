package pipeline

import (
	"github.com/stream-events/stream-events/internal/annotate"
	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/lint"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/vars"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// RuleTemplateSecret marks a compiled template that holds a credential
// (the Action refuses it).
const RuleTemplateSecret = "template-secret"

// RuleInfos describes every rule for SARIF: the linter's, then those of the
// loader, the variable resolver, the compiler and the Action.
func RuleInfos() []annotate.RuleInfo {
	var out []annotate.RuleInfo
	for _, r := range lint.Rules() {
		out = append(out, annotate.RuleInfo{ID: r.ID, Name: r.ID, Severity: r.Severity, Description: r.Description, HelpURI: r.HelpURI})
	}
	for _, r := range otherRules {
		out = append(out, annotate.RuleInfo{ID: r.ID, Name: r.ID, Severity: r.Severity, Description: r.Description, HelpURI: lint.HelpBase + "#" + r.ID})
	}
	return out
}

// otherRules are the findings that do not come from the linter.
var otherRules = []lint.Rule{
	{ID: yamlsrc.Rule, Severity: diag.Error, Description: "The file is not valid YAML as Serverless reads it (js-yaml with the CloudFormation schema): a syntax error, a duplicate key, an unknown tag, more than one document, or runaway alias expansion."},
	{ID: loader.RuleConfigFile, Severity: diag.Error, Description: "The configuration file cannot be used: not found, JavaScript or TypeScript (which cannot be read statically), or not a mapping; in the Action, a path holding a control character, or (a warning) a file the config glob matched that is no serverless.yml, .yaml or .json."},
	{ID: vars.RuleUnresolved, Severity: diag.Error, Description: "A variable has no value and no fallback, or its source failed."},
	{ID: vars.RuleRemote, Severity: diag.Warning, Description: "A variable needs AWS (cf, ssm, s3, aws:accountId) or a plugin source and is left unresolved offline; deploy resolves the AWS ones with credentials."},
	{ID: vars.RuleSecretEnv, Severity: diag.Error, Description: "An ${env:...} variable names a credential or runtime token, which would end up in a template or artifact; it is never resolved."},
	{ID: vars.RuleCycle, Severity: diag.Error, Description: "Variables refer to each other in a cycle, or nest deeper than the resolver allows."},
	{ID: vars.RuleSyntax, Severity: diag.Error, Description: "A variable is malformed (unterminated, bad parameters or address)."},
	{ID: vars.RuleFile, Severity: diag.Error, Description: "A ${file(...)} variable reads a file outside the repository root, or a file that cannot be read or parsed."},
	{ID: compile.Rule, Severity: diag.Error, Description: "A stream event cannot be compiled: Serverless v3 would stop or crash with a JavaScript TypeError on it, it needs an unresolved variable, or (standalone mode) two events compile to one logical ID."},
	{ID: compile.BaseRule, Severity: diag.Error, Description: "The --base template is not a CloudFormation template with Resources, or lacks the IamRoleLambdaExecution statements the stream statements go into."},
	{ID: RuleTemplateSecret, Severity: diag.Error, Description: "The Action refuses a compiled template that holds a credential or token (the value of a credential variable, or a token-shaped value): it would be written to disk, uploaded as an artifact and sent to AWS."},
	{ID: compile.RoleRule, Severity: diag.Error, Description: "Standalone mode cannot name the execution role its stream policy attaches to (a role given as a logical ID or an intrinsic); give a role ARN, a literal RoleName, or --role-name."},
}
