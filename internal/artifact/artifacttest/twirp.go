package artifacttest

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// fieldKind is the proto3 JSON shape a request field must have.
type fieldKind int

const (
	kString   fieldKind = iota // JSON string
	kInt32                     // JSON number, integral
	kInt64                     // JSON string of digits (proto3 int64)
	kTime                      // JSON string, RFC 3339 (google.protobuf.Timestamp)
	kSHA256                    // JSON string "sha256:<64 hex>" (StringValue)
	kRequired fieldKind = 1 << 4
)

// Request fields by proto field name, as the official client sends them
// (useProtoFieldName: true). Anything else is a violation: the real service
// ignores unknown fields, so a misspelt one would be silently lost.
var schemas = map[Op]map[string]fieldKind{
	CreateArtifact: {
		"workflow_run_backend_id":     kString | kRequired,
		"workflow_job_run_backend_id": kString | kRequired,
		"name":                        kString | kRequired,
		"version":                     kInt32 | kRequired,
		"expires_at":                  kTime,
		"mime_type":                   kString,
	},
	FinalizeArtifact: {
		"workflow_run_backend_id":     kString | kRequired,
		"workflow_job_run_backend_id": kString | kRequired,
		"name":                        kString | kRequired,
		"size":                        kInt64 | kRequired,
		"hash":                        kSHA256,
	},
}

func (s *Server) serveTwirp(w http.ResponseWriter, r *http.Request, op Op) {
	schema, ok := schemas[op]
	if !ok {
		s.violation(w, r, "unknown twirp method %q", op)
		return
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		s.violation(w, r, "want POST with Content-Type application/json, got %s %q", r.Method, r.Header.Get("Content-Type"))
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		s.t.Errorf("artifacttest: %s: wrong or missing bearer token", op)
		writeTwirpError(w, http.StatusUnauthorized, "unauthenticated", "invalid token")
		return
	}
	fields, err := decodeFields(r.Body, schema)
	if err != nil {
		s.violation(w, r, "%s request: %v", op, err)
		return
	}
	if f, has := s.begin(w, op); has {
		s.answerFault(w, r, f)
		return
	}
	if fields["workflow_run_backend_id"] != s.RunID || fields["workflow_job_run_backend_id"] != s.JobID {
		writeTwirpError(w, http.StatusForbidden, "permission_denied", "backend ids do not match the token")
		return
	}
	if op == CreateArtifact {
		s.create(w, r, fields)
	} else {
		s.finalize(w, fields)
	}
}

func (s *Server) answerFault(w http.ResponseWriter, r *http.Request, f Fault) {
	if f.Status == 0 && !f.Refuse {
		return // connection already dropped
	}
	if f.Refuse {
		writeJSON(w, map[string]any{"ok": false})
		return
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	writeTwirpError(w, f.Status, twirpCode(f.Status), f.message(r))
}

// decodeFields checks the body against schema and returns each field as a
// string (numbers in decimal).
func decodeFields(body io.Reader, schema map[string]fieldKind) (map[string]string, error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(body)
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("body is not a JSON object: %v", err)
	}
	out := map[string]string{}
	for k, v := range raw {
		kind, ok := schema[k]
		if !ok {
			return nil, fmt.Errorf("unknown field %q (the service wants proto field names)", k)
		}
		s, err := checkField(kind&^kRequired, v)
		if err != nil {
			return nil, fmt.Errorf("field %q: %v", k, err)
		}
		out[k] = s
	}
	for k, kind := range schema {
		if kind&kRequired != 0 && out[k] == "" {
			return nil, fmt.Errorf("missing required field %q", k)
		}
	}
	return out, nil
}

func checkField(kind fieldKind, v json.RawMessage) (string, error) {
	if kind == kInt32 {
		n, err := strconv.ParseInt(string(v), 10, 32)
		if err != nil {
			return "", fmt.Errorf("want an int32 JSON number, got %s", v)
		}
		return strconv.FormatInt(n, 10), nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fmt.Errorf("want a JSON string, got %s", v)
	}
	switch kind {
	case kInt64:
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			return "", fmt.Errorf("want an int64 as a decimal string, got %q", s)
		}
	case kTime:
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			return "", fmt.Errorf("want an RFC 3339 timestamp, got %q", s)
		}
	case kSHA256:
		if h, ok := strings.CutPrefix(s, "sha256:"); !ok || len(h) != 64 || !isLowerHex(h) {
			return "", fmt.Errorf(`want "sha256:<64 lower-case hex>", got %q`, s)
		}
	}
	return s, nil
}

func isLowerHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

func (s *Server) create(w http.ResponseWriter, r *http.Request, f map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	name := f["name"]
	if old, ok := s.byName[name]; ok && old.Finalized {
		writeTwirpError(w, http.StatusConflict, "already_exists", "Conflict: an artifact with this name already exists on the workflow run")
		return
	}
	a := &Artifact{Name: name, blocks: map[string][]byte{}}
	a.Version, _ = strconv.Atoi(f["version"])
	if t := f["expires_at"]; t != "" {
		a.ExpiresAt, _ = time.Parse(time.RFC3339Nano, t)
	}
	// A signature with every character that needs URL escaping, so that a
	// client which re-encodes the query breaks the match.
	a.sig = "s+i/g=" + base64.StdEncoding.EncodeToString([]byte(name+"\xfb\xff"))
	s.byName[name] = a
	signed := s.URL + "/blob/" + url.PathEscape(name) + ".zip?sv=2024-11-04&sr=b&sp=cw&se=2099-01-01T00%3A00%3A00Z&sig=" + url.QueryEscape(a.sig)
	writeJSON(w, map[string]any{"ok": true, s.key("signed_upload_url", "signedUploadUrl"): signed})
}

func (s *Server) finalize(w http.ResponseWriter, f map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.byName[f["name"]]
	if !ok || a.Data == nil {
		writeTwirpError(w, http.StatusNotFound, "not_found", "no uploaded artifact with this name")
		return
	}
	size, _ := strconv.ParseInt(f["size"], 10, 64)
	if size != int64(len(a.Data)) {
		writeTwirpError(w, http.StatusBadRequest, "invalid_argument", fmt.Sprintf("size %d does not match the %d bytes uploaded", size, len(a.Data)))
		return
	}
	if h := f["hash"]; h != "" && h != "sha256:"+sha256Hex(a.Data) {
		writeTwirpError(w, http.StatusBadRequest, "invalid_argument", "hash does not match the uploaded bytes")
		return
	}
	a.ID, a.Size, a.Hash, a.Finalized = s.nextID, size, f["hash"], true
	s.nextID++
	writeJSON(w, map[string]any{"ok": true, s.key("artifact_id", "artifactId"): strconv.FormatInt(a.ID, 10)})
}

// key picks the response field spelling; callers hold s.mu.
func (s *Server) key(snake, camel string) string {
	if s.camel {
		return camel
	}
	return snake
}

// twirpCode maps a status to the twirp error code a real server would use.
func twirpCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "invalid_argument"
	case http.StatusUnauthorized:
		return "unauthenticated"
	case http.StatusForbidden:
		return "permission_denied"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusConflict:
		return "already_exists"
	case http.StatusTooManyRequests:
		return "resource_exhausted"
	case http.StatusServiceUnavailable:
		return "unavailable"
	default:
		return "internal"
	}
}

func writeTwirpError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"code": code, "msg": msg})
}

func writeJSON(w http.ResponseWriter, v any) {
	var buf bytes.Buffer
	_ = json.NewEncoder(&buf).Encode(v)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(buf.Bytes())
}
