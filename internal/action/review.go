package action

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/github"
	"github.com/stream-events/stream-events/internal/review"
)

// reviewInputs are the inputs of the pull-request review: the plan, the
// sticky comment and annotations on changed lines only.
type reviewInputs struct {
	plan     string // off or auto
	comment  string // auto or off
	token    string // github-token, "" for none
	annotate string // all or changed
}

func readReviewInputs(r inputReader, in *inputs) error {
	var err error
	if in.plan, err = r.oneOf("plan", "off", "auto"); err != nil {
		return err
	}
	if in.comment, err = r.oneOf("comment", "auto", "off"); err != nil {
		return err
	}
	if in.annotate, err = r.oneOf("annotate", "all", "changed"); err != nil {
		return err
	}
	in.token = r.get("github-token")
	// docker:// steps read no action.yml, so its default reaches the
	// binary unevaluated; the job's token is then only in the environment.
	if strings.HasPrefix(in.token, "${{") {
		in.token = ""
	}
	if in.token == "" {
		in.token, _ = r.getenv("GITHUB_TOKEN")
	}
	return nil
}

// githubTimeout bounds each call to GitHub's API.
const githubTimeout = 30 * time.Second

// reviewState is the pull request the run reviews.
type reviewState struct {
	pr          int            // the pull request's number; 0 outside pull_request events
	owner, repo string         // of GITHUB_REPOSITORY
	client      *github.Client // nil without a token or GITHUB_API_URL
	plans       map[*service]*planOutcome
}

// startReview finds the pull request and the GitHub client, keeps only
// the annotations on changed lines (annotate: changed) and plans every
// service, before any deploy changes the stacks.
func (a *action) startReview(services []*service, mode deploy.Mode) {
	a.rv.pr = a.pullRequest()
	a.rv.owner, a.rv.repo, _ = strings.Cut(a.gctx.repo.Repository, "/")
	if a.in.token != "" {
		api, _ := a.env.Getenv("GITHUB_API_URL")
		if c, err := github.New(api, a.in.token, &http.Client{Timeout: githubTimeout}); err == nil && api != "" {
			a.rv.client = c
		}
	}
	if a.in.annotate == "changed" && a.in.annotations {
		a.keepChangedLines()
	}
	a.planAll(services, mode)
}

// pullRequest is the number of the pull request of a pull_request (or
// pull_request_target) event, from its payload; 0 otherwise.
func (a *action) pullRequest() int {
	if a.gctx.eventName != "pull_request" && a.gctx.eventName != "pull_request_target" {
		return 0
	}
	p, ok := a.env.Getenv("GITHUB_EVENT_PATH")
	if !ok || p == "" {
		return 0
	}
	data, err := os.ReadFile(p)
	if err != nil {
		a.r.logf("read the event payload: %v", err)
		return 0
	}
	var ev struct {
		Number      int `json:"number"`
		PullRequest struct {
			Number int `json:"number"`
		} `json:"pull_request"`
	}
	if err := json.Unmarshal(data, &ev); err != nil {
		a.r.logf("read the event payload %s: %v", p, err)
		return 0
	}
	if ev.PullRequest.Number != 0 {
		return ev.PullRequest.Number
	}
	return ev.Number
}

// keepChangedLines drops the pending annotations of findings on lines the
// pull request does not change; the summary and SARIF keep every finding.
// Without the changed lines every finding is annotated.
func (a *action) keepChangedLines() {
	if a.rv.pr == 0 || a.rv.client == nil {
		a.r.logf("annotate: changed needs a pull_request event and a github-token; annotating every finding")
		return
	}
	ctx, cancel := context.WithTimeout(a.ctx, 2*githubTimeout)
	defer cancel()
	changed, err := a.rv.client.ChangedLines(ctx, a.rv.owner, a.rv.repo, a.rv.pr)
	if err != nil {
		a.r.ownWarning(fmt.Sprintf("annotate: changed: annotating every finding: %s", err))
		return
	}
	var keep diag.Findings
	for _, f := range a.pending {
		if onChangedLine(f, changed) {
			keep = append(keep, f)
		}
	}
	a.r.logf("annotate: changed: %d of %d finding(s) are on lines pull request #%d changes; the others are in the job summary and SARIF only",
		len(keep), len(a.pending), a.rv.pr)
	a.pending = keep
}

func onChangedLine(f diag.Finding, changed map[string][]github.LineRange) bool {
	for _, r := range changed[f.Range.File] {
		if f.Range.Start.Line >= r.Start && f.Range.Start.Line <= r.End {
			return true
		}
	}
	return false
}

// finishReview writes the sticky comment and applies fail-on to the plans.
// A token that may not comment only warns: the summary and SARIF are
// written already.
func (a *action) finishReview(services []*service) error {
	return exit.Combine(a.comment(services), a.planVerdict(services))
}

func (a *action) comment(services []*service) error {
	switch {
	case a.in.comment == "off":
		return nil
	case a.rv.pr == 0:
		a.r.logf("comment: auto: not a pull_request event, so no comment")
		return nil
	case a.rv.client == nil:
		a.r.logf("comment: auto: no github-token (or no GITHUB_API_URL), so no comment")
		return nil
	}
	marker := github.Marker(a.envValue("GITHUB_WORKFLOW"), a.envValue("GITHUB_JOB"), a.commentKey())
	body := a.r.red.String(review.Body(review.Input{Marker: marker, FailOn: a.in.failOn,
		Services: a.reviewServices(services), RunURL: a.runURL()}))
	ctx, cancel := context.WithTimeout(a.ctx, 2*githubTimeout)
	defer cancel()
	url, created, err := a.rv.client.UpsertComment(ctx, a.rv.owner, a.rv.repo, a.rv.pr, marker, body)
	switch {
	case github.IsForbidden(err):
		a.r.ownWarning("comment: " + err.Error())
		return nil
	case err != nil:
		return exit.With(exit.IO, fmt.Errorf("comment: %w", err))
	case created:
		a.r.logf("comment: created %s", url)
	default:
		a.r.logf("comment: updated %s", url)
	}
	return nil
}

// commentKey tells apart the comments of steps in one job: the config
// input, and the stage when set (a matrix over stages runs one job name).
func (a *action) commentKey() string {
	k := strings.Join(a.in.configs, ",")
	if a.in.stage != "" {
		k += "@" + a.in.stage
	}
	return k
}

func (a *action) reviewServices(services []*service) []review.Service {
	var out []review.Service
	for _, s := range services {
		rs := review.Service{Name: s.name, Config: s.config, Findings: s.findings}
		if o := a.rv.plans[s]; o != nil {
			rs.Plan, rs.PlanNote = o.plan, o.note
		}
		if s.deploy != nil && s.deploy.mode == deploy.Preview {
			rs.ChangeSet = s.deploy.markdown()
		} else if rs.Plan == nil && rs.PlanNote == "" {
			rs.PlanNote = "not planned"
		}
		out = append(out, rs)
	}
	return out
}

// runURL links the workflow run.
func (a *action) runURL() string {
	server, repo := a.gctx.repo.ServerURL, a.gctx.repo.Repository
	if server == "" || repo == "" || a.gctx.runID == "" {
		return ""
	}
	return strings.TrimRight(server, "/") + "/" + repo + "/actions/runs/" + a.gctx.runID
}

func (a *action) envValue(k string) string {
	v, _ := a.env.Getenv(k)
	return v
}
