// Package github is the GitHub REST client of the Action: the one sticky
// comment on a pull request, found again by a hidden marker and updated in
// place, and the lines a pull request changes, for annotations on changed
// lines only. It wraps go-github (pagination, Enterprise base URLs, typed
// error responses) behind the few calls the Action makes. It reads no
// environment: the caller passes GITHUB_API_URL and the token, and the token
// only ever travels in the Authorization header.
package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	gh "github.com/google/go-github/v75/github"
)

// perPage is the most GitHub lists on one page.
const perPage = 100

// Client talks to one GitHub (github.com or an Enterprise Server).
type Client struct {
	gh *gh.Client
}

// New returns a client for the REST API at apiURL (GITHUB_API_URL:
// https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise
// Server) that authenticates with token. httpClient may be nil.
func New(apiURL, token string, httpClient *http.Client) (*Client, error) {
	base, err := url.Parse(strings.TrimRight(apiURL, "/") + "/")
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("GitHub API URL %q is not an absolute URL", apiURL)
	}
	c := gh.NewClient(httpClient).WithAuthToken(token)
	// GITHUB_API_URL is already the API root (with /api/v3 on Enterprise
	// Server), so it is the base URL as is; WithEnterpriseURLs would add
	// /api/v3 to any host not named api.*.
	c.BaseURL = base
	return &Client{gh: c}, nil
}

// Marker returns the hidden HTML comment that identifies the sticky comment
// of one workflow, job and config: one comment per pull request for each.
func Marker(workflow, job, config string) string {
	clean := func(s string) string {
		// "--" would end the HTML comment early.
		return strings.ReplaceAll(strings.ReplaceAll(s, "--", "-\u200b-"), ">", "")
	}
	return fmt.Sprintf("<!-- stream-events: %s/%s/%s -->", clean(workflow), clean(job), clean(config))
}

// UpsertComment makes the comment of pull request pr that contains marker
// say body (which must contain the marker): it edits the first such
// comment, looking through every page, or creates one. Other comments are
// never touched. It returns the comment's URL and whether it was created.
func (c *Client) UpsertComment(ctx context.Context, owner, repo string, pr int, marker, body string) (string, bool, error) {
	if !strings.Contains(body, marker) {
		return "", false, errors.New("the comment body does not contain its marker, so the next run could not find it")
	}
	id, err := c.findComment(ctx, owner, repo, pr, marker)
	if err != nil {
		return "", false, classify("list the comments of pull request", pr, err)
	}
	if id != 0 {
		cm, _, err := c.gh.Issues.EditComment(ctx, owner, repo, id, &gh.IssueComment{Body: gh.Ptr(body)})
		if err != nil {
			return "", false, classify("update the comment on pull request", pr, err)
		}
		return cm.GetHTMLURL(), false, nil
	}
	cm, _, err := c.gh.Issues.CreateComment(ctx, owner, repo, pr, &gh.IssueComment{Body: gh.Ptr(body)})
	if err != nil {
		return "", false, classify("comment on pull request", pr, err)
	}
	return cm.GetHTMLURL(), true, nil
}

func (c *Client) findComment(ctx context.Context, owner, repo string, pr int, marker string) (int64, error) {
	opts := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: perPage}}
	for {
		comments, resp, err := c.gh.Issues.ListComments(ctx, owner, repo, pr, opts)
		if err != nil {
			return 0, err
		}
		for _, cm := range comments {
			if strings.Contains(cm.GetBody(), marker) {
				return cm.GetID(), nil
			}
		}
		if resp.NextPage == 0 {
			return 0, nil
		}
		opts.Page = resp.NextPage
	}
}

// LineRange is the lines [Start, End] of a file, 1-based, inclusive.
type LineRange struct {
	Start, End int
}

// ChangedLines returns, per file path, the lines of the new version that
// pull request pr adds or changes. A file GitHub gives no patch for (a
// binary file, or a diff too large to show) is absent. Renamed files are
// under their new path.
func (c *Client) ChangedLines(ctx context.Context, owner, repo string, pr int) (map[string][]LineRange, error) {
	out := map[string][]LineRange{}
	opts := &gh.ListOptions{PerPage: perPage}
	for {
		files, resp, err := c.gh.PullRequests.ListFiles(ctx, owner, repo, pr, opts)
		if err != nil {
			return nil, classify("list the files of pull request", pr, err)
		}
		for _, f := range files {
			if f.GetStatus() == "removed" || f.Patch == nil {
				continue
			}
			if r := AddedLines(f.GetPatch()); len(r) > 0 {
				out[f.GetFilename()] = r
			}
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}
