package pipeline

import (
	"context"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/preflight"
)

// Preflight checks, once Resolve has given every parameter its value,
// what the template's mappings need in the account: a finding at the
// stream event for each problem. stack is the stack deploy creates or
// updates, serverless the Serverless stack.
func (t *Template) Preflight(ctx context.Context, acct preflight.Account, stack, serverless string) (diag.Findings, error) {
	return preflight.Check(ctx, acct, preflight.Stacks{Streams: stack, Serverless: serverless}, preflight.Targets(t.Result, t.tpl))
}
