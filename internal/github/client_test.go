package github

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stream-events/stream-events/internal/github/githubtest"
)

const token = githubtest.Token

func newFake(t *testing.T, prefix string) *githubtest.Server { return githubtest.New(t, prefix) }

func client(t *testing.T, f *githubtest.Server) *Client {
	c, err := New(f.URL, token, f.Client())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestUpsertCreatesThenUpdates(t *testing.T) {
	for _, prefix := range []string{"", "/api/v3"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			// GIVEN a pull request with someone else's comment
			f := newFake(t, prefix)
			f.AddComments(1, func(int) string { return "LGTM" })
			c := client(t, f)
			marker := Marker("ci", "lint", "serverless.yml")
			ctx := context.Background()

			// WHEN the Action runs twice
			url1, created1, err := c.UpsertComment(ctx, "o", "r", 7, marker, marker+"\nfirst")
			if err != nil {
				t.Fatal(err)
			}
			url2, created2, err := c.UpsertComment(ctx, "o", "r", 7, marker, marker+"\nsecond")
			if err != nil {
				t.Fatal(err)
			}

			// THEN one comment was created, then updated in place
			if !created1 || created2 || url1 != url2 || url1 == "" {
				t.Errorf("created %v then %v, urls %q %q", created1, created2, url1, url2)
			}
			want := []string{"LGTM", marker + "\nsecond"}
			var got []string
			for _, cm := range f.Comments {
				got = append(got, cm.Body)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("comments (-want +got):\n%s", d)
			}
			var methods []string
			for _, r := range f.Requests {
				methods = append(methods, r.Method)
			}
			if d := cmp.Diff([]string{"GET", "POST", "GET", "PATCH"}, methods); d != "" {
				t.Errorf("requests (-want +got):\n%s", d)
			}
			f.CheckToken(t)
		})
	}
}

func TestOurCommentOnPageTwoIsFound(t *testing.T) {
	f := newFake(t, "")
	marker := Marker("ci", "lint", "serverless.yml")
	f.AddComments(130, func(i int) string {
		if i == 120 {
			return marker + "\nold"
		}
		return fmt.Sprintf("comment %d mentions stream-events", i)
	})
	url, created, err := client(t, f).UpsertComment(context.Background(), "o", "r", 7, marker, marker+"\nnew")
	if err != nil {
		t.Fatal(err)
	}
	if created || !strings.HasSuffix(url, "-1121") || len(f.Comments) != 130 || f.Comments[120].Body != marker+"\nnew" {
		t.Errorf("created=%v url=%q comments=%d", created, url, len(f.Comments))
	}
	for i, cm := range f.Comments {
		if i != 120 && !strings.HasPrefix(cm.Body, "comment ") {
			t.Errorf("comment %d was touched: %q", i, cm.Body)
		}
	}
	if !strings.Contains(f.Requests[1].URL, "page=2") || !strings.Contains(f.Requests[0].URL, "per_page=100") {
		t.Errorf("did not page by 100: %v", f.Requests)
	}
	f.CheckToken(t)
}

func TestAnotherConfigGetsItsOwnComment(t *testing.T) {
	f := newFake(t, "")
	c := client(t, f)
	a, b := Marker("ci", "lint", "a/serverless.yml"), Marker("ci", "lint", "b/serverless.yml")
	for _, m := range []string{a, b, a} {
		if _, _, err := c.UpsertComment(context.Background(), "o", "r", 7, m, m+"\nbody"); err != nil {
			t.Fatal(err)
		}
	}
	if len(f.Comments) != 2 {
		t.Errorf("want one comment per config, got %d", len(f.Comments))
	}
}

func TestForbiddenIsTyped(t *testing.T) {
	for _, st := range []int{http.StatusForbidden, http.StatusNotFound} {
		f := newFake(t, "")
		f.Status = st
		_, _, err := client(t, f).UpsertComment(context.Background(), "o", "r", 7, "<!-- m -->", "<!-- m --> x")
		if !IsForbidden(err) {
			t.Fatalf("%d: got %v, want a ForbiddenError", st, err)
		}
		if !strings.Contains(err.Error(), "pull-requests: write") || strings.Contains(err.Error(), token) {
			t.Errorf("%d: message %q", st, err)
		}
		f.CheckToken(t)
	}
	f := newFake(t, "")
	f.Status = http.StatusInternalServerError
	_, _, err := client(t, f).UpsertComment(context.Background(), "o", "r", 7, "<!-- m -->", "<!-- m --> x")
	if err == nil || IsForbidden(err) {
		t.Errorf("500: got %v, want an untyped error", err)
	}
}

func TestBodyWithoutMarkerIsRefused(t *testing.T) {
	f := newFake(t, "")
	if _, _, err := client(t, f).UpsertComment(context.Background(), "o", "r", 7, "<!-- m -->", "no marker"); err == nil {
		t.Error("want an error")
	}
	if len(f.Requests) != 0 {
		t.Error("nothing should be sent")
	}
}

func TestMarkerCannotCloseEarly(t *testing.T) {
	m := Marker("wf --> <b>", "job", "c.yml")
	if strings.Count(m, "-->") != 1 || !strings.HasSuffix(m, "-->") {
		t.Errorf("marker %q", m)
	}
}

func TestChangedLines(t *testing.T) {
	f := newFake(t, "/api/v3")
	f.Files = []map[string]any{
		{"filename": "serverless.yml", "status": "modified", "patch": "@@ -1,5 +1,6 @@\n service: a\n-provider:\n+provider: # aws\n+  name: aws\n   runtime: nodejs18.x\n \n functions:\n@@ -20,3 +21,4 @@ functions:\n       - stream:\n           arn: x\n+          batchSize: 10\n           enabled: true\n\\ No newline at end of file"},
		{"filename": "new.yml", "status": "added", "patch": "@@ -0,0 +1,2 @@\n+a: 1\n+b: 2"},
		{"filename": "gone.yml", "status": "removed", "patch": "@@ -1,2 +0,0 @@\n-a: 1\n-b: 2"},
		{"filename": "renamed/serverless.yml", "previous_filename": "old/serverless.yml", "status": "renamed", "patch": "@@ -3,2 +3,2 @@\n a\n-b\n+c"},
		{"filename": "moved.yml", "previous_filename": "was.yml", "status": "renamed"},
		{"filename": "logo.png", "status": "modified"},
	}
	for i := 0; i < 150; i++ { // a second page
		f.Files = append(f.Files, map[string]any{"filename": fmt.Sprintf("f%03d.txt", i), "status": "modified", "patch": "@@ -1 +1 @@\n-x\n+y"})
	}
	got, err := client(t, f).ChangedLines(context.Background(), "o", "r", 7)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]LineRange{
		"serverless.yml":         {{2, 3}, {23, 23}},
		"new.yml":                {{1, 2}},
		"renamed/serverless.yml": {{4, 4}},
	}
	for i := 0; i < 150; i++ {
		want[fmt.Sprintf("f%03d.txt", i)] = []LineRange{{1, 1}}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if len(f.Requests) != 2 {
		t.Errorf("want 2 pages, got %d requests", len(f.Requests))
	}
	f.CheckToken(t)
}

func TestNewRejectsRelativeURL(t *testing.T) {
	if _, err := New("api.github.com", token, nil); err == nil || strings.Contains(err.Error(), token) {
		t.Errorf("got %v", err)
	}
}
