package artifact

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// backendIDs identify the workflow run and job to the results service.
type backendIDs struct {
	run, job string
}

// resultsScope is the scp entry that carries the backend ids:
// "Actions.Results:<workflowRunBackendId>:<workflowJobRunBackendId>".
const resultsScope = "Actions.Results"

// backendIDsFromToken reads the ids from the JWT payload, as
// @actions/artifact's getBackendIdsFromToken does (shared/util.ts). The
// signature is not verified: the service does that; we only need the claim.
// Errors wrap ErrNoBackendIDs and never quote the token.
func backendIDsFromToken(token string) (backendIDs, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return backendIDs{}, fmt.Errorf("%w: not a JWT (%d dot-separated parts)", ErrNoBackendIDs, len(parts))
	}
	// JWTs use unpadded base64url; tolerate padding anyway.
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return backendIDs{}, fmt.Errorf("%w: payload is not base64url", ErrNoBackendIDs)
	}
	scopes, err := scopesOf(payload)
	if err != nil {
		return backendIDs{}, err
	}
	for _, s := range scopes {
		if ids, ok := parseResultsScope(s); ok {
			return ids, nil
		}
	}
	return backendIDs{}, fmt.Errorf("%w: no %q scope in the scp claim", ErrNoBackendIDs, resultsScope+":<run>:<job>")
}

// scopesOf returns the space-separated scp claim as a list. Some issuers
// encode scp as a JSON array; accept that too.
func scopesOf(payload []byte) ([]string, error) {
	var claims struct {
		Scp json.RawMessage `json:"scp"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return nil, fmt.Errorf("%w: payload is not a JSON object", ErrNoBackendIDs)
	}
	var s string
	if json.Unmarshal(claims.Scp, &s) == nil {
		return strings.Fields(s), nil
	}
	var list []string
	if json.Unmarshal(claims.Scp, &list) == nil {
		return list, nil
	}
	return nil, fmt.Errorf("%w: no scp claim", ErrNoBackendIDs)
}

func parseResultsScope(scope string) (backendIDs, bool) {
	parts := strings.Split(scope, ":")
	if len(parts) != 3 || parts[0] != resultsScope || parts[1] == "" || parts[2] == "" {
		return backendIDs{}, false
	}
	return backendIDs{run: parts[1], job: parts[2]}, true
}
