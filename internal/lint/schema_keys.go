package lint

import (
	"github.com/stream-events/stream-events/internal/node"
)

// The properties Serverless v3.40.0's schema knows at the top level, under
// an AWS provider and in a function (additionalProperties: false), dumped
// from its configSchemaHandler. A plugin may define more, so they are only
// checked for a service without plugins. With configValidationMode: error
// an unknown one stops Serverless (provider.enviroment, issue 11).
var (
	topLevelKeys = []string{"configValidationMode", "console", "custom", "dashboard", "deprecationNotificationMode",
		"disabledDeprecations", "frameworkVersion", "functions", "package", "params", "plugins", "projectDir",
		"provider", "service", "useDotenv", "variablesResolutionMode", "resources", "layers", "org", "app", "outputs"}
	providerKeys = []string{"name", "alb", "apiGateway", "apiName", "architecture", "cfnRole", "cloudFront",
		"deploymentBucket", "deploymentPrefix", "disableRollback", "endpointType", "environment", "eventBridge",
		"httpApi", "iam", "iamManagedPolicies", "iamRoleStatements", "ecr", "kmsKeyArn", "lambdaHashingVersion",
		"layers", "logRetentionInDays", "logDataProtectionPolicy", "logs", "memorySize", "notificationArns",
		"profile", "region", "role", "rolePermissionsBoundary", "rollbackConfiguration", "runtime",
		"runtimeManagement", "deploymentMethod", "s3", "stage", "stackName", "stackParameters", "stackPolicy",
		"stackTags", "tags", "timeout", "tracing", "vpc", "vpcEndpointIds", "versionFunctions", "websocket",
		"websocketsApiName", "kinesis", "websocketsApiRouteSelectionExpression", "websocketsDescription"}
	functionKeys = []string{"name", "events", "architecture", "awsKmsKeyArn", "condition", "dependsOn",
		"description", "destinations", "disableLogs", "environment", "ephemeralStorageSize", "fileSystemConfig",
		"handler", "image", "kmsKeyArn", "snapStart", "layers", "logRetentionInDays", "logDataProtectionPolicy",
		"maximumEventAge", "maximumRetryAttempts", "memorySize", "onError", "package", "provisionedConcurrency",
		"reservedConcurrency", "role", "runtime", "runtimeManagement", "tags", "timeout", "tracing", "url",
		"versionFunction", "vpc", "httpApi"}
)

// schemaKeys reports unknown top-level, provider and function properties.
func (p *pass) schemaKeys(root *node.Node) {
	if root.Get("plugins") != nil {
		return
	}
	p.knownKeys(root, "top-level property", topLevelKeys)
	if pv := root.Get("provider"); pv.IsMap() && !opaque(pv) {
		if name := pv.Get("name"); name.IsString() && name.Str == "aws" {
			p.knownKeys(pv, "provider property", providerKeys)
		}
	}
	if fns := root.Get("functions"); fns.IsMap() && !opaque(fns) {
		for _, f := range fns.Pairs {
			if f.Value.IsMap() && !opaque(f.Value) {
				p.knownKeys(f.Value, "function property", functionKeys)
			}
		}
	}
}

func (p *pass) knownKeys(m *node.Node, what string, names []string) {
	for _, pr := range m.Pairs {
		if !contains(names, pr.Key.Str) {
			p.report(&ruleSchemaUnknownKey, pr.Key, "unknown %s %q; Serverless ignores it in its default mode and stops with configValidationMode: error%s", what, pr.Key.Str, didYouMean(pr.Key.Str, names))
		}
	}
}
