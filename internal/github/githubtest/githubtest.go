// Package githubtest is an httptest fake of the parts of GitHub's REST API
// the Action calls: the comments of a pull request (issue comments, with
// Link-header pagination), editing one, and the files of a pull request.
// Every request is recorded, so tests can check where the token travels.
package githubtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Token is the token the fake accepts, shaped like a GitHub App token.
const Token = "ghs_testtoken0123456789abcdefABCDEF"

// Repository and PR are the only repository and pull request it serves.
const (
	Owner = "o"
	Repo  = "r"
	PR    = 7
)

// Comment is one issue comment.
type Comment struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
	URL  string `json:"html_url"`
}

// Request is one recorded request.
type Request struct {
	Method, URL string
	Header      http.Header
	Body        string
}

// Server is the fake. Set Files and Status before the calls; read
// Comments and Requests after them (under no concurrent calls).
type Server struct {
	URL    string // the API root to pass as GITHUB_API_URL
	prefix string
	srv    *httptest.Server

	mu       sync.Mutex
	Comments []Comment
	Files    []map[string]any // the pull request files API's objects
	Status   int              // when set, every call answers it
	Requests []Request
	nextID   int64
}

// New starts a fake under prefix ("" for github.com, "/api/v3" for
// Enterprise Server), stopped when t ends.
func New(t testing.TB, prefix string) *Server {
	f := &Server{prefix: prefix, nextID: 1000}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	f.URL = f.srv.URL + prefix
	return f
}

// Client is an HTTP client for the fake.
func (f *Server) Client() *http.Client { return f.srv.Client() }

// AddComments appends n comments with the given bodies.
func (f *Server) AddComments(n int, body func(i int) string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.add(n, body)
}

func (f *Server) add(n int, body func(i int) string) {
	for i := 0; i < n; i++ {
		f.nextID++
		f.Comments = append(f.Comments, Comment{ID: f.nextID, Body: body(i), URL: fmt.Sprintf("https://github.test/o/r/pull/7#issuecomment-%d", f.nextID)})
	}
}

// Bodies returns the comments' bodies in order.
func (f *Server) Bodies() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.Comments {
		out = append(out, c.Body)
	}
	return out
}

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	f.Requests = append(f.Requests, Request{r.Method, r.URL.String(), r.Header.Clone(), string(body)})
	if r.Header.Get("Authorization") != "Bearer "+Token {
		http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
		return
	}
	if f.Status != 0 {
		w.WriteHeader(f.Status)
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
		f.page(w, r, len(f.Comments), func(i int) any { return f.Comments[i] })
	case r.Method == "POST" && path == "/repos/o/r/issues/7/comments":
		var in Comment
		_ = json.Unmarshal(body, &in)
		f.add(1, func(int) string { return in.Body })
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(f.Comments[len(f.Comments)-1])
	case r.Method == "PATCH" && strings.HasPrefix(path, "/repos/o/r/issues/comments/"):
		f.edit(w, r, path, body)
	case r.Method == "GET" && path == "/repos/o/r/pulls/7/files":
		f.page(w, r, len(f.Files), func(i int) any { return f.Files[i] })
	default:
		http.NotFound(w, r)
	}
}

func (f *Server) edit(w http.ResponseWriter, r *http.Request, path string, body []byte) {
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/repos/o/r/issues/comments/"), 10, 64)
	for i := range f.Comments {
		if f.Comments[i].ID == id {
			var in Comment
			_ = json.Unmarshal(body, &in)
			f.Comments[i].Body = in.Body
			_ = json.NewEncoder(w).Encode(f.Comments[i])
			return
		}
	}
	http.NotFound(w, r)
}

// page writes one page of n items with GitHub's Link header.
func (f *Server) page(w http.ResponseWriter, r *http.Request, n int, item func(int) any) {
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

// CheckToken fails t if the token appears in any request's URL, body or a
// header other than Authorization, or if a request lacks it there.
func (f *Server) CheckToken(t testing.TB) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.Requests) == 0 {
		t.Fatal("no requests")
	}
	for _, r := range f.Requests {
		if strings.Contains(r.URL, Token) || strings.Contains(r.Body, Token) {
			t.Errorf("%s %s: the token is in the URL or body", r.Method, r.URL)
		}
		for k, vs := range r.Header {
			for _, v := range vs {
				if strings.Contains(v, Token) && k != "Authorization" {
					t.Errorf("%s %s: the token is in header %s", r.Method, r.URL, k)
				}
			}
		}
		if r.Header.Get("Authorization") != "Bearer "+Token {
			t.Errorf("%s %s: Authorization = %q", r.Method, r.URL, r.Header.Get("Authorization"))
		}
	}
}

// Methods returns the recorded requests' methods in order.
func (f *Server) Methods() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.Requests {
		out = append(out, r.Method)
	}
	return out
}
