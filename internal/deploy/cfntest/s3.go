package cfntest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// ServeS3 starts a fake S3 endpoint for path-style clients (UsePathStyle)
// and returns its URL. Objects PUT there are kept by the Server, so a
// CreateChangeSet whose TemplateURL names the same bucket and key reads
// them. It is closed when the test ends.
func (s *Server) ServeS3(t testing.TB) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPut {
			http.Error(w, "want PUT", http.StatusMethodNotAllowed)
			return
		}
		bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		s.PutObject(bucket, key, string(body))
		w.Header().Set("ETag", `"etag"`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// PutObject stores an S3 object, as if uploaded.
func (s *Server) PutObject(bucket, key, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objects[bucket+"/"+key] = body
}

// Object returns a stored S3 object.
func (s *Server) Object(bucket, key string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	body, ok := s.objects[bucket+"/"+key]
	return body, ok
}

// templateAt reads the object a path-style S3 TemplateURL
// (https://s3[.region].amazonaws.com[.cn]/bucket/key) names.
func (s *Server) templateAt(templateURL string) (string, bool) {
	u, err := url.Parse(templateURL)
	if err != nil || u.Scheme != "https" || !strings.HasPrefix(u.Host, "s3.") ||
		!strings.HasSuffix(u.Host, ".amazonaws.com") && !strings.HasSuffix(u.Host, ".amazonaws.com.cn") {
		return "", false
	}
	body, ok := s.objects[strings.TrimPrefix(u.Path, "/")]
	return body, ok
}
