package vars

import "strings"

// secretEnvNames are environment variables that hold credentials or
// runtime tokens. ${env:...} never reads them: a resolved value ends up in
// the compiled template, which is uploaded as a workflow artifact and sent
// to CloudFormation. This is the one place the list lives.
var secretEnvNames = map[string]string{
	"AWS_ACCESS_KEY_ID":                 "an AWS credential",
	"AWS_SECRET_ACCESS_KEY":             "an AWS credential",
	"AWS_SESSION_TOKEN":                 "an AWS credential",
	"AWS_SECURITY_TOKEN":                "an AWS credential",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN": "an AWS credential",
	"AWS_WEB_IDENTITY_TOKEN":            "an AWS credential",
	"ACTIONS_RUNTIME_TOKEN":             "a GitHub Actions runtime token",
	"ACTIONS_ID_TOKEN_REQUEST_TOKEN":    "a GitHub Actions OIDC token",
	"ACTIONS_ID_TOKEN_REQUEST_URL":      "a GitHub Actions OIDC token URL",
	"ACTIONS_RUNTIME_URL":               "a GitHub Actions runtime endpoint",
	"ACTIONS_RESULTS_URL":               "a GitHub Actions runtime endpoint",
	"ACTIONS_CACHE_URL":                 "a GitHub Actions runtime endpoint",
	"GITHUB_TOKEN":                      "a GitHub token",
	"GH_TOKEN":                          "a GitHub token",
	"GITHUB_ENTERPRISE_TOKEN":           "a GitHub token",
	"GH_ENTERPRISE_TOKEN":               "a GitHub token",
	"SERVERLESS_ACCESS_KEY":             "a Serverless Dashboard credential",
	"SLS_ACCESS_KEY":                    "a Serverless Dashboard credential",
	"NPM_TOKEN":                         "a registry token",
	"NODE_AUTH_TOKEN":                   "a registry token",
}

// secretEnvPrefixes cover families of such variables: action inputs
// (INPUT_*, which carry whatever the workflow passes, tokens included) and
// the Actions runtime's own variables.
var secretEnvPrefixes = map[string]string{
	"INPUT_":           "a GitHub Actions input, which may carry a token",
	"ACTIONS_RUNTIME_": "a GitHub Actions runtime token",
	"ACTIONS_ID_TOKEN": "a GitHub Actions OIDC token",
}

// SecretEnv says why the environment variable name must not be read, or ""
// when it may be: ${env:...} and the references of a .env file (loader)
// both refuse these names. Names compare case-insensitively, as the
// Windows environment does.
func SecretEnv(name string) string { return secretEnv(name) }

func secretEnv(name string) string {
	up := strings.ToUpper(name)
	if why, ok := secretEnvNames[up]; ok {
		return why
	}
	for p, why := range secretEnvPrefixes {
		if strings.HasPrefix(up, p) {
			return why
		}
	}
	return ""
}

// SecretEnvNames returns the refused names and prefixes (a prefix ends
// with "_" or names a family), for documentation.
func SecretEnvNames() (names, prefixes []string) {
	for n := range secretEnvNames {
		names = append(names, n)
	}
	for p := range secretEnvPrefixes {
		prefixes = append(prefixes, p)
	}
	return sortStrings(names), sortStrings(prefixes)
}
