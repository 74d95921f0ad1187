package github

import (
	"errors"
	"fmt"
	"net/http"

	gh "github.com/google/go-github/v75/github"
)

// ForbiddenError is a call the token may not make: a pull request from a
// fork (whose token is read-only), or a workflow without the
// pull-requests: write permission. The Action warns and goes on.
type ForbiddenError struct {
	Op     string // what was tried, e.g. "comment on pull request #7"
	Status int    // 403 or 404
	Detail string // GitHub's message
}

func (e *ForbiddenError) Error() string {
	return fmt.Sprintf("%s: GitHub answered %d (%s): the token may not do this; grant it with `permissions: pull-requests: write` in the workflow (a pull request from a fork gets a read-only token, so its comment cannot be written)",
		e.Op, e.Status, e.Detail)
}

// IsForbidden reports whether err is a ForbiddenError.
func IsForbidden(err error) bool {
	var f *ForbiddenError
	return errors.As(err, &f)
}

// classify wraps an API error, making 403 and 404 a ForbiddenError: GitHub
// answers 404 rather than 403 to a token that may not see a resource.
func classify(op string, pr int, err error) error {
	opText := fmt.Sprintf("%s #%d", op, pr)
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		switch st := er.Response.StatusCode; st {
		case http.StatusForbidden, http.StatusNotFound:
			return &ForbiddenError{Op: opText, Status: st, Detail: er.Message}
		}
	}
	var rl *gh.RateLimitError
	if errors.As(err, &rl) {
		return fmt.Errorf("%s: GitHub's rate limit is exhausted until %s: %w", opText, rl.Rate.Reset.UTC().Format("15:04:05 UTC"), err)
	}
	return fmt.Errorf("%s: %w", opText, err)
}
