package github

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const token = "ghs_testtoken0123456789abcdefABCDEF"

// fakeGitHub speaks the REST paths, JSON and Link pagination of the issue
// comments and pull request files APIs, under prefix ("" for github.com,
// "/api/v3" for Enterprise Server).
type fakeGitHub struct {
	t        *testing.T
	prefix   string
	mu       sync.Mutex
	comments []comment
	files    []map[string]any
	nextID   int64
	status   int // when set, every call answers it
	requests []recorded
	srv      *httptest.Server
}

type comment struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
	URL  string `json:"html_url"`
}

type recorded struct {
	Method, URL string
	Header      http.Header
	Body        string
}

func newFake(t *testing.T, prefix string) *fakeGitHub {
	f := &fakeGitHub{t: t, prefix: prefix, nextID: 1000}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGitHub) client(t *testing.T) *Client {
	c, err := New(f.srv.URL+f.prefix, token, f.srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fakeGitHub) addComments(n int, body func(i int) string) {
	for i := 0; i < n; i++ {
		f.nextID++
		f.comments = append(f.comments, comment{ID: f.nextID, Body: body(i), URL: fmt.Sprintf("https://github.test/o/r/pull/7#issuecomment-%d", f.nextID)})
	}
}

func (f *fakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	f.requests = append(f.requests, recorded{r.Method, r.URL.String(), r.Header.Clone(), string(body)})
	if r.Header.Get("Authorization") != "Bearer "+token {
		http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
		return
	}
	if f.status != 0 {
		w.WriteHeader(f.status)
		fmt.Fprint(w, `{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest"}`)
		return
	}
	path, ok := strings.CutPrefix(r.URL.Path, f.prefix)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == "GET" && path == "/repos/o/r/issues/7/comments":
		f.page(w, r, len(f.comments), func(i int) any { return f.comments[i] })
	case r.Method == "POST" && path == "/repos/o/r/issues/7/comments":
		var in comment
		_ = json.Unmarshal(body, &in)
		f.addComments(1, func(int) string { return in.Body })
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(f.comments[len(f.comments)-1])
	case r.Method == "PATCH" && strings.HasPrefix(path, "/repos/o/r/issues/comments/"):
		id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/repos/o/r/issues/comments/"), 10, 64)
		for i := range f.comments {
			if f.comments[i].ID == id {
				var in comment
				_ = json.Unmarshal(body, &in)
				f.comments[i].Body = in.Body
				_ = json.NewEncoder(w).Encode(f.comments[i])
				return
			}
		}
		http.NotFound(w, r)
	case r.Method == "GET" && path == "/repos/o/r/pulls/7/files":
		f.page(w, r, len(f.files), func(i int) any { return f.files[i] })
	default:
		http.NotFound(w, r)
	}
}

// page writes one page of n items with GitHub's Link header.
func (f *fakeGitHub) page(w http.ResponseWriter, r *http.Request, n int, item func(int) any) {
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if per == 0 {
		per = 30
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page == 0 {
		page = 1
	}
	last := (n + per - 1) / per
	if page < last {
		u := *r.URL
		q := u.Query()
		q.Set("page", strconv.Itoa(page+1))
		u.RawQuery = q.Encode()
		next := f.srv.URL + u.String()
		q.Set("page", strconv.Itoa(last))
		u.RawQuery = q.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next", <%s>; rel="last"`, next, f.srv.URL+u.String()))
	}
	items := []any{}
	for i := (page - 1) * per; i < n && i < page*per; i++ {
		items = append(items, item(i))
	}
	_ = json.NewEncoder(w).Encode(items)
}

// checkToken asserts the token appears in no URL, body or header other
// than Authorization, of any request.
func (f *fakeGitHub) checkToken(t *testing.T) {
	t.Helper()
	if len(f.requests) == 0 {
		t.Fatal("no requests")
	}
	for _, r := range f.requests {
		if strings.Contains(r.URL, token) || strings.Contains(r.Body, token) {
			t.Errorf("%s %s: the token is in the URL or body", r.Method, r.URL)
		}
		for k, vs := range r.Header {
			for _, v := range vs {
				if strings.Contains(v, token) && k != "Authorization" {
					t.Errorf("%s %s: the token is in header %s", r.Method, r.URL, k)
				}
			}
		}
		if r.Header.Get("Authorization") != "Bearer "+token {
			t.Errorf("%s %s: Authorization = %q", r.Method, r.URL, r.Header.Get("Authorization"))
		}
	}
}

func TestUpsertCreatesThenUpdates(t *testing.T) {
	for _, prefix := range []string{"", "/api/v3"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			// GIVEN a pull request with someone else's comment
			f := newFake(t, prefix)
			f.addComments(1, func(int) string { return "LGTM" })
			c := f.client(t)
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
			for _, cm := range f.comments {
				got = append(got, cm.Body)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("comments (-want +got):\n%s", d)
			}
			var methods []string
			for _, r := range f.requests {
				methods = append(methods, r.Method)
			}
			if d := cmp.Diff([]string{"GET", "POST", "GET", "PATCH"}, methods); d != "" {
				t.Errorf("requests (-want +got):\n%s", d)
			}
			f.checkToken(t)
		})
	}
}

func TestOurCommentOnPageTwoIsFound(t *testing.T) {
	f := newFake(t, "")
	marker := Marker("ci", "lint", "serverless.yml")
	f.addComments(130, func(i int) string {
		if i == 120 {
			return marker + "\nold"
		}
		return fmt.Sprintf("comment %d mentions stream-events", i)
	})
	url, created, err := f.client(t).UpsertComment(context.Background(), "o", "r", 7, marker, marker+"\nnew")
	if err != nil {
		t.Fatal(err)
	}
	if created || !strings.HasSuffix(url, "-1121") || len(f.comments) != 130 || f.comments[120].Body != marker+"\nnew" {
		t.Errorf("created=%v url=%q comments=%d", created, url, len(f.comments))
	}
	for i, cm := range f.comments {
		if i != 120 && !strings.HasPrefix(cm.Body, "comment ") {
			t.Errorf("comment %d was touched: %q", i, cm.Body)
		}
	}
	if !strings.Contains(f.requests[1].URL, "page=2") || !strings.Contains(f.requests[0].URL, "per_page=100") {
		t.Errorf("did not page by 100: %v", f.requests)
	}
	f.checkToken(t)
}

func TestAnotherConfigGetsItsOwnComment(t *testing.T) {
	f := newFake(t, "")
	c := f.client(t)
	a, b := Marker("ci", "lint", "a/serverless.yml"), Marker("ci", "lint", "b/serverless.yml")
	for _, m := range []string{a, b, a} {
		if _, _, err := c.UpsertComment(context.Background(), "o", "r", 7, m, m+"\nbody"); err != nil {
			t.Fatal(err)
		}
	}
	if len(f.comments) != 2 {
		t.Errorf("want one comment per config, got %d", len(f.comments))
	}
}

func TestForbiddenIsTyped(t *testing.T) {
	for _, st := range []int{http.StatusForbidden, http.StatusNotFound} {
		f := newFake(t, "")
		f.status = st
		_, _, err := f.client(t).UpsertComment(context.Background(), "o", "r", 7, "<!-- m -->", "<!-- m --> x")
		if !IsForbidden(err) {
			t.Fatalf("%d: got %v, want a ForbiddenError", st, err)
		}
		if !strings.Contains(err.Error(), "pull-requests: write") || strings.Contains(err.Error(), token) {
			t.Errorf("%d: message %q", st, err)
		}
		f.checkToken(t)
	}
	f := newFake(t, "")
	f.status = http.StatusInternalServerError
	_, _, err := f.client(t).UpsertComment(context.Background(), "o", "r", 7, "<!-- m -->", "<!-- m --> x")
	if err == nil || IsForbidden(err) {
		t.Errorf("500: got %v, want an untyped error", err)
	}
}

func TestBodyWithoutMarkerIsRefused(t *testing.T) {
	f := newFake(t, "")
	if _, _, err := f.client(t).UpsertComment(context.Background(), "o", "r", 7, "<!-- m -->", "no marker"); err == nil {
		t.Error("want an error")
	}
	if len(f.requests) != 0 {
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
	f.files = []map[string]any{
		{"filename": "serverless.yml", "status": "modified", "patch": "@@ -1,5 +1,6 @@\n service: a\n-provider:\n+provider: # aws\n+  name: aws\n   runtime: nodejs18.x\n \n functions:\n@@ -20,3 +21,4 @@ functions:\n       - stream:\n           arn: x\n+          batchSize: 10\n           enabled: true\n\\ No newline at end of file"},
		{"filename": "new.yml", "status": "added", "patch": "@@ -0,0 +1,2 @@\n+a: 1\n+b: 2"},
		{"filename": "gone.yml", "status": "removed", "patch": "@@ -1,2 +0,0 @@\n-a: 1\n-b: 2"},
		{"filename": "renamed/serverless.yml", "previous_filename": "old/serverless.yml", "status": "renamed", "patch": "@@ -3,2 +3,2 @@\n a\n-b\n+c"},
		{"filename": "moved.yml", "previous_filename": "was.yml", "status": "renamed"},
		{"filename": "logo.png", "status": "modified"},
	}
	for i := 0; i < 150; i++ { // a second page
		f.files = append(f.files, map[string]any{"filename": fmt.Sprintf("f%03d.txt", i), "status": "modified", "patch": "@@ -1 +1 @@\n-x\n+y"})
	}
	got, err := f.client(t).ChangedLines(context.Background(), "o", "r", 7)
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
	if len(f.requests) != 2 {
		t.Errorf("want 2 pages, got %d requests", len(f.requests))
	}
	f.checkToken(t)
}

func TestNewRejectsRelativeURL(t *testing.T) {
	if _, err := New("api.github.com", token, nil); err == nil || strings.Contains(err.Error(), token) {
		t.Errorf("got %v", err)
	}
}
