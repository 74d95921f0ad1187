package artifact

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrUnavailable reports that artifact upload cannot work in this
// environment: ACTIONS_RESULTS_URL or ACTIONS_RUNTIME_TOKEN is empty (a local
// run, an old runner) or the server is GitHub Enterprise Server, which has no
// v4 artifacts. Callers should warn and continue, not fail.
var ErrUnavailable = errors.New("artifact upload unavailable")

// ErrNoBackendIDs reports that ACTIONS_RUNTIME_TOKEN is not a JWT whose scp
// claim holds "Actions.Results:<runBackendId>:<jobBackendId>". IsUnavailable
// treats it like ErrUnavailable.
var ErrNoBackendIDs = errors.New("runtime token has no Actions.Results backend ids")

// ErrRefused reports a twirp call that succeeded at the HTTP level but whose
// response said ok: false.
var ErrRefused = errors.New("service refused the request (ok: false)")

// IsUnavailable reports whether err means "this environment cannot upload
// artifacts", which the action turns into a warning.
func IsUnavailable(err error) bool {
	return errors.Is(err, ErrUnavailable) || errors.Is(err, ErrNoBackendIDs)
}

// IsConflict reports whether err is the service refusing a name that is
// already used in this workflow run: v4 artifacts are immutable per run.
func IsConflict(err error) bool {
	var re *RequestError
	if !errors.As(err, &re) {
		return false
	}
	return re.Status == http.StatusConflict || re.Code == "already_exists"
}

// RequestError is a non-2xx answer from the artifact service or from blob
// storage. Msg has every secret (runtime token, upload signature) redacted.
type RequestError struct {
	Op     string // CreateArtifact, FinalizeArtifact, PutBlock or PutBlockList
	Status int    // HTTP status
	Code   string // twirp error code or Azure x-ms-error-code, if any
	Msg    string // twirp msg or Azure Message, redacted, possibly empty

	retryAfter time.Duration // from a Retry-After header; zero if none
}

func (e *RequestError) Error() string {
	s := fmt.Sprintf("%s: HTTP %d", e.Op, e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// Temporary reports whether retrying may help: throttling and server-side
// failures. 501 Not Implemented will not change on a retry.
func (e *RequestError) Temporary() bool {
	return e.Status == http.StatusTooManyRequests ||
		(e.Status >= 500 && e.Status != http.StatusNotImplemented)
}

// netError is a failure below HTTP status codes (connection refused or
// reset, client timeout, truncated body): always worth a retry.
type netError struct{ err error }

func (e *netError) Error() string { return e.err.Error() }
func (e *netError) Unwrap() error { return e.err }

// redactor replaces secrets in text that may be quoted in an error: response
// bodies can echo request headers or URLs, and *url.Error quotes the URL.
type redactor struct{ secrets []string }

const redacted = "***"

func (r *redactor) add(secret string) {
	if secret == "" {
		return
	}
	// A secret can be quoted raw or in either URL escaping.
	r.secrets = append(r.secrets, secret, url.QueryEscape(secret), url.PathEscape(secret))
}

func (r *redactor) clone() *redactor {
	return &redactor{secrets: append([]string(nil), r.secrets...)}
}

func (r *redactor) String(s string) string {
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, redacted)
	}
	return s
}

// redactedError is the last line of defence: whatever an error chain quotes,
// its message goes through the redactor.
type redactedError struct {
	err error
	r   *redactor
}

func (e *redactedError) Error() string { return e.r.String(e.err.Error()) }
func (e *redactedError) Unwrap() error { return e.err }

// transportError wraps an error from http.Client.Do. The URL that *url.Error
// quotes loses its query string, which holds the upload signature.
func transportError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		copied := *ue
		copied.URL = stripQuery(ue.URL)
		err = &copied
	}
	return &netError{err: err}
}

// stripQuery drops the query of a URL so that a signed URL can be named in
// an error without its signature.
func stripQuery(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		return raw[:i] + "?" + redacted
	}
	return raw
}
