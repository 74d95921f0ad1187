// Package deploy turns a compiled CloudFormation template into a stack
// through a change set: it picks CREATE or UPDATE from the stack's state,
// waits for the change set, previews it, refuses replacements AWS is known to
// reject, executes it while streaming stack events, and reports the outcome
// as values (Result, typed errors) for the caller to render.
//
// The package does no terminal or Actions I/O of its own: live progress goes
// to an injected event sink and everything else is returned. It talks to AWS
// only through the narrow interfaces in interfaces.go, so tests point the
// real SDK clients at loopback servers.
package deploy
