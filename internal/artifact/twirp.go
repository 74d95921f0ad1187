package artifact

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// twirpService is the results service's artifact API. Every method is a
// POST of JSON to {origin}/twirp/{service}/{method}.
const twirpService = "github.actions.results.api.v1.ArtifactService"

// maxResponse bounds how much of any response we read: real answers are a
// few hundred bytes, and an error page must not eat memory.
const maxResponse = 1 << 20

// The request messages use the proto field names (snake_case), as the
// official client does (toJson with useProtoFieldName: true), and omit
// defaults (emitDefaultValues: false). int64 fields are JSON strings in
// proto3 JSON. See actions/toolkit packages/artifact/src/generated/results/
// api/v1/artifact.ts.
type createRequest struct {
	RunID     string `json:"workflow_run_backend_id"`
	JobID     string `json:"workflow_job_run_backend_id"`
	Name      string `json:"name"`
	ExpiresAt string `json:"expires_at,omitempty"` // google.protobuf.Timestamp: RFC 3339, UTC
	Version   int32  `json:"version"`
}

type finalizeRequest struct {
	RunID string `json:"workflow_run_backend_id"`
	JobID string `json:"workflow_job_run_backend_id"`
	Name  string `json:"name"`
	Size  string `json:"size"` // int64
	Hash  string `json:"hash,omitempty"`
}

// Responses are read in both spellings proto3 JSON allows: GitHub answers
// with snake_case, while act and Gitea (protojson.Marshal) use camelCase.
type createResponse struct {
	OK       bool   `json:"ok"`
	URL      string `json:"signed_upload_url"`
	URLCamel string `json:"signedUploadUrl"`
}

func (r createResponse) signedURL() string { return cmpOr(r.URL, r.URLCamel) }

type finalizeResponse struct {
	OK      bool      `json:"ok"`
	ID      int64JSON `json:"artifact_id"`
	IDCamel int64JSON `json:"artifactId"`
}

func (r finalizeResponse) artifactID() int64 { return int64(cmpOr(r.ID, r.IDCamel)) }

// int64JSON decodes a proto3 int64, which arrives as a JSON string but may be
// a bare number from a lenient server.
type int64JSON int64

func (n *int64JSON) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	v, err := strconv.ParseInt(strings.Trim(s, `"`), 10, 64)
	if err != nil {
		return fmt.Errorf("int64 value %s: %w", s, err)
	}
	*n = int64JSON(v)
	return nil
}

// twirpErrorBody is the JSON body of every twirp error response.
type twirpErrorBody struct {
	Code string `json:"code"`
	Msg  string `json:"msg"`
}

// call POSTs in to method with retries and decodes the answer into out.
func (c *Client) call(ctx context.Context, method string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("%s: encode request: %w", method, err)
	}
	return c.retry(ctx, func(ctx context.Context) error {
		return c.callOnce(ctx, method, body, out)
	})
}

func (c *Client) callOnce(ctx context.Context, method string, body []byte, out any) error {
	endpoint := c.origin + "/twirp/" + twirpService + "/" + method
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Authorization", "Bearer "+c.token)
	data, resp, err := c.do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.twirpError(method, resp, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s: decode response: %w", method, err)
	}
	return nil
}

// do sends req and reads the (bounded) body. Transport failures, including a
// body cut short, come back as *netError so that they are retried.
func (c *Client) do(req *http.Request) ([]byte, *http.Response, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, transportError(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return nil, nil, &netError{err: fmt.Errorf("read %s response: %w", req.Method, err)}
	}
	return data, resp, nil
}

// twirpError turns a non-2xx answer into a *RequestError. A body that is not
// twirp JSON (a proxy's HTML page) is quoted, shortened, instead.
func (c *Client) twirpError(method string, resp *http.Response, data []byte) error {
	e := &RequestError{Op: method, Status: resp.StatusCode, retryAfter: parseRetryAfter(resp.Header)}
	var body twirpErrorBody
	if json.Unmarshal(data, &body) == nil && (body.Code != "" || body.Msg != "") {
		e.Code, e.Msg = body.Code, c.redact.String(body.Msg)
	} else {
		e.Msg = c.redact.String(snippet(data))
	}
	return e
}

// snippet is the start of a body, on one line, for an error message.
func snippet(b []byte) string {
	const limit = 200
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > limit {
		s = s[:limit] + "…"
	}
	return s
}

// cmpOr is cmp.Or for the two-value case, spelled out for clarity.
func cmpOr[T comparable](a, b T) T {
	var zero T
	if a != zero {
		return a
	}
	return b
}
