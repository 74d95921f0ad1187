//go:build unix

package cli

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stream-events/stream-events/internal/deploy/cfntest"
	"github.com/stream-events/stream-events/internal/exit"
)

// signalGrace bounds how long a signalled deploy may take to clean up and
// exit. The deploy's own timeout is far longer, so a run that ignored the
// signal and kept waiting for the change set would blow this bound.
const signalGrace = 2 * time.Second

// slowCFN is the fake with change sets that never finish creating: they
// stay CREATE_IN_PROGRESS, as while CloudFormation computes a large change
// set. polled receives once, when the deployer first polls one.
type slowCFN struct {
	*cfntest.Server
	polled chan struct{}
}

func newSlowCFN(t *testing.T) *slowCFN {
	s := &slowCFN{Server: cfntest.NewServer(t), polled: make(chan struct{}, 1)}
	s.SlowChangeSets(math.MaxInt32)
	s.OnRequest(func(action string) {
		if action == "DescribeChangeSet" {
			select {
			case s.polled <- struct{}{}:
			default: // told already
			}
		}
	})
	return s
}

// polledChangeSet is the change set the deployer polled, by ARN.
func (s *slowCFN) polledChangeSet(t *testing.T) string {
	t.Helper()
	for _, r := range s.Requests("DescribeChangeSet") {
		if m := regexp.MustCompile(`ChangeSetName=(arn:\S+:changeSet/\S+)`).FindStringSubmatch(r); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no DescribeChangeSet by ARN: %q", s.Requests())
	return ""
}

// runningBinary is the binary, started and not waited for.
type runningBinary struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	exited         chan struct{} // closed when Wait has returned
	err            error         // Wait's error, set before exited closes
}

// startBinary runs the binary in dir with exactly env, without waiting.
func startBinary(t *testing.T, dir string, env map[string]string, args ...string) *runningBinary {
	t.Helper()
	p := &runningBinary{cmd: exec.Command(binary(t), args...), exited: make(chan struct{})}
	p.cmd.Dir, p.cmd.Env = dir, envList(env)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

// wait returns the run's result, or fails the test when it takes longer
// than within.
func (p *runningBinary) wait(t *testing.T, within time.Duration) result {
	t.Helper()
	timer := time.NewTimer(within)
	defer timer.Stop()
	select {
	case <-p.exited:
	case <-timer.C:
		_ = p.cmd.Process.Kill()
		<-p.exited
		t.Fatalf("still running %s after the signal\nstdout:\n%s\nstderr:\n%s", within, p.stdout.String(), p.stderr.String())
	}
	r := result{stdout: p.stdout.String(), stderr: p.stderr.String()}
	var ee *exec.ExitError
	switch err := p.err; {
	case errors.As(err, &ee) && !ee.Exited():
		t.Fatalf("%v instead of exiting\nstdout:\n%s\nstderr:\n%s", ee, r.stdout, r.stderr)
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return r
}

// interruptWhenPolled waits until the deployer polls the change set it created, as a
// cancelled job's signal would find it, then sends sig.
func interruptWhenPolled(t *testing.T, p *runningBinary, cfn *slowCFN, sig os.Signal) (sent time.Time) {
	t.Helper()
	timer := time.NewTimer(30 * time.Second)
	defer timer.Stop()
	select {
	case <-cfn.polled:
	case <-p.exited:
		t.Fatalf("exited (%v) before polling a change set\nstdout:\n%s\nstderr:\n%s", p.err, p.stdout.String(), p.stderr.String())
	case <-timer.C:
		_ = p.cmd.Process.Kill()
		<-p.exited // the buffers are the process's until then
		t.Fatalf("no change set polled; requests %q\nstderr:\n%s", cfn.Requests(), p.stderr.String())
	}
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	return time.Now()
}

// signalCase is one stack the cancelled preview targets.
type signalCase struct {
	name   string
	sig    syscall.Signal
	status string // of the stack before the run; "" for none
}

var signalCases = []signalCase{
	// A new stack: the CREATE change set made a REVIEW_IN_PROGRESS stub,
	// which goes with the change set.
	{"new stack SIGTERM", syscall.SIGTERM, ""},
	{"new stack SIGINT", syscall.SIGINT, ""},
	// A deployed stack: an UPDATE change set; the stack stays.
	{"update SIGINT", syscall.SIGINT, "UPDATE_COMPLETE"},
	// A stub this run did not make (an earlier run's, or a console user's
	// change set under review) is left alone.
	{"foreign stub SIGTERM", syscall.SIGTERM, "REVIEW_IN_PROGRESS"},
}

// code is the exit status the signal gives.
func (c signalCase) code() int {
	if c.sig == syscall.SIGINT {
		return exit.Interrupted
	}
	return exit.Terminated
}

// seed prepares the fake for c and returns the stack name the run targets.
func (c signalCase) seed(cfn *slowCFN) string {
	const stack = "shop-dev-streams"
	switch c.status {
	case "REVIEW_IN_PROGRESS":
		cfn.AddStack(stack, c.status, "")
	case "":
	default:
		cfn.AddStack(stack, c.status, `{"Resources":{}}`)
	}
	return stack
}

// stoppedState is the stack state the run reports it stopped in.
func (c signalCase) stoppedState() string {
	if c.status == "" {
		return "REVIEW_IN_PROGRESS" // what its own CREATE change set made
	}
	return c.status
}

// kind is how the summary names the change set.
func (c signalCase) kind() string {
	if c.status == "UPDATE_COMPLETE" {
		return "update"
	}
	return "new stack"
}

// changeSetName is the name in a change set ARN
// (arn:aws:cloudformation:REGION:ACCOUNT:changeSet/NAME/UUID).
func changeSetName(arn string) string {
	_, rest, _ := strings.Cut(arn, ":changeSet/")
	name, _, _ := strings.Cut(rest, "/")
	return name
}

// checkCleanup checks what the fake saw after the signal: the change set
// the run created, deleted by the ARN it was polled by, and the stack as
// the deployer documents (its own stub deleted, any other stack kept).
func (c signalCase) checkCleanup(t *testing.T, cfn *slowCFN, stack, changeSet string) {
	t.Helper()
	creates := cfn.Requests("CreateChangeSet")
	if len(creates) != 1 {
		t.Fatalf("CreateChangeSet requests %q", creates)
	}
	wantType := "ChangeSetType=CREATE"
	if c.status == "UPDATE_COMPLETE" {
		wantType = "ChangeSetType=UPDATE"
	}
	m := regexp.MustCompile(`ChangeSetName=(\S+)`).FindStringSubmatch(creates[0])
	if m == nil || !strings.Contains(creates[0], wantType) || !strings.Contains(changeSet, ":changeSet/"+m[1]+"/") {
		t.Errorf("polled %s after %q (want %s)", changeSet, creates[0], wantType)
	}
	if deletes := cfn.Requests("DeleteChangeSet"); len(deletes) != 1 || !strings.Contains(deletes[0], "ChangeSetName="+changeSet) {
		t.Errorf("DeleteChangeSet requests %q, want one for %s", deletes, changeSet)
	}
	if n := cfn.ChangeSets(); n != 0 {
		t.Errorf("%d change set(s) left", n)
	}
	if n := len(cfn.Requests("ExecuteChangeSet")); n != 0 {
		t.Errorf("%d ExecuteChangeSet requests", n)
	}
	stackDeletes := cfn.Requests("DeleteStack")
	status, _, live := cfn.Stack(stack)
	if c.status == "" {
		if len(stackDeletes) != 1 || !strings.Contains(stackDeletes[0], ":stack/"+stack+"/") || live {
			t.Errorf("the run's REVIEW_IN_PROGRESS stub: DeleteStack requests %q, stack live %v (%s)", stackDeletes, live, status)
		}
		return
	}
	if len(stackDeletes) != 0 || status != c.status {
		t.Errorf("stack %s: DeleteStack requests %q, status %q, want it kept in %s", stack, stackDeletes, status, c.status)
	}
}

func TestDeployCommand_SignalCancelsPreview(t *testing.T) {
	t.Parallel()
	for _, c := range signalCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// GIVEN a preview whose change set CloudFormation never finishes
			ws, cfn := shopWorkspace(t), newSlowCFN(t)
			env := deployEnv(t, ws, cfn.Server)
			stack := c.seed(cfn)
			p := startBinary(t, ws, env, "deploy", "--no-preflight", "--mode", "preview", "--timeout", "10m",
				"--parameter", "OrdersTableStreamArn="+shopStreamArn)

			// WHEN the job is cancelled while the deployer polls it
			sent := interruptWhenPolled(t, p, cfn, c.sig)
			r := p.wait(t, signalGrace)
			changeSet := cfn.polledChangeSet(t)

			// THEN it exits with the signal's status within the grace period
			t.Logf("exited %s after %v", time.Since(sent).Round(time.Millisecond), c.sig)
			if r.code != c.code() {
				t.Errorf("exit %d, want %d", r.code, c.code())
			}
			// ... saying what it was waiting for and the stack's state
			name := changeSetName(changeSet)
			want := fmt.Sprintf("warning: cancelled while waiting for creation of change set %s (stack %s: %s)", name, stack, c.stoppedState())
			if !strings.Contains(r.stderr, want) ||
				!strings.Contains(r.stderr, "stream-events: deploy of "+stack+" cancelled: ") ||
				!strings.Contains(r.stderr, "deleted change set "+name) {
				t.Errorf("stderr lacks %q and the cancellation\nstderr:\n%s", want, r.stderr)
			}
			// ... claiming no changes it never learnt (issue 8, item 11)
			if strings.Contains(r.stdout, "No changes") {
				t.Errorf("stdout claims no changes:\n%s", r.stdout)
			}
			// ... and it cleaned up in CloudFormation
			c.checkCleanup(t, cfn, stack, changeSet)
			if t.Failed() {
				t.Logf("stdout:\n%s\nstderr:\n%s\nrequests:\n%s", r.stdout, r.stderr, strings.Join(cfn.Requests(), "\n"))
			}
		})
	}
}

func TestAction_SignalCancelsPreview(t *testing.T) {
	t.Parallel()
	for _, c := range signalCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// GIVEN deploy: preview and a change set CloudFormation never finishes
			ws, cfn := shopWorkspace(t), newSlowCFN(t)
			env := deployEnv(t, ws, cfn.Server)
			stack := c.seed(cfn)
			input(env, "deploy", "preview")
			input(env, "timeout", "10m")
			input(env, "template-parameters", "OrdersTableStreamArn: "+shopStreamArn)
			input(env, "artifact-name", "")
			p := startBinary(t, ws, env, "action")

			// WHEN the job is cancelled while the deployer polls it
			sent := interruptWhenPolled(t, p, cfn, c.sig)
			r := p.wait(t, signalGrace)
			changeSet := cfn.polledChangeSet(t)

			// THEN the step fails with the signal's status within the grace period
			t.Logf("exited %s after %v", time.Since(sent).Round(time.Millisecond), c.sig)
			if r.code != c.code() {
				t.Errorf("exit %d, want %d", r.code, c.code())
			}
			// ... with a warning naming the state it stopped in and an error annotation
			name := changeSetName(changeSet)
			want := fmt.Sprintf("::warning::cancelled while waiting for creation of change set %s (stack %s: %s)", name, stack, c.stoppedState())
			if !strings.Contains(r.stdout, want) ||
				!regexp.MustCompile(`(?m)^::error::serverless.yml: deploy of `+stack+` cancelled: .*context canceled$`).MatchString(r.stdout) {
				t.Errorf("log lacks %q and the cancellation error\nstdout:\n%s", want, r.stdout)
			}
			// ... which the outputs and the summary report too
			out := parseOutputs(t, readFile(t, env["GITHUB_OUTPUT"]))
			if !strings.Contains(out["deployments"], `"error":"deploy stack `+stack+`: stopped while waiting for creation of change set `+name+`: context canceled"`) {
				t.Errorf("deployments output lacks the cancellation: %s", out["deployments"])
			}
			wantSum := "**Preview failed** for stack `" + stack + "` (" + c.kind() + "): deploy stack " + stack + ": stopped while waiting for creation of change set " + name + ": context canceled"
			if sum := readFile(t, env["GITHUB_STEP_SUMMARY"]); !strings.Contains(sum, wantSum) || strings.Contains(sum, "No changes") {
				t.Errorf("summary lacks %q:\n%s", wantSum, sum)
			}
			// ... and it cleaned up in CloudFormation
			c.checkCleanup(t, cfn, stack, changeSet)
			if t.Failed() {
				t.Logf("stdout:\n%s\nstderr:\n%s\nrequests:\n%s", r.stdout, r.stderr, strings.Join(cfn.Requests(), "\n"))
			}
		})
	}
}
