package artifacttest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// serveBlob handles the signed URL like Azure Blob storage: Put Block
// (comp=block), Put Block List (comp=blocklist) and Put Blob (no comp).
// https://learn.microsoft.com/rest/api/storageservices/put-block
func (s *Server) serveBlob(w http.ResponseWriter, r *http.Request) {
	a, ok := s.checkBlobRequest(w, r)
	if !ok {
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	if r.ContentLength != int64(len(body)) {
		s.blobViolation(w, r, "MissingContentLengthHeader", "Content-Length %d, body %d bytes", r.ContentLength, len(body))
		return
	}
	op := blobOp(r.URL.Query().Get("comp"))
	if f, has := s.begin(w, op); has {
		if f.Status != 0 {
			writeAzureError(w, r, f)
		}
		return
	}
	switch op {
	case PutBlock:
		s.putBlock(w, r, a, body)
	case PutBlockList:
		s.putBlockList(w, r, a, body)
	default:
		s.putBlob(w, r, a, body)
	}
}

func blobOp(comp string) Op {
	switch comp {
	case "block":
		return PutBlock
	case "blocklist":
		return PutBlockList
	default:
		return PutBlob
	}
}

// checkBlobRequest verifies what Azure verifies before looking at the body:
// method, SAS signature (the query kept intact), version header. It also
// fails the test if the runtime token leaks to blob storage.
func (s *Server) checkBlobRequest(w http.ResponseWriter, r *http.Request) (*Artifact, bool) {
	if r.Method != http.MethodPut {
		s.blobViolation(w, r, "UnsupportedHttpVerb", "want PUT, got %s", r.Method)
		return nil, false
	}
	if r.Header.Get("Authorization") != "" {
		s.blobViolation(w, r, "InvalidAuthenticationInfo", "Authorization header sent to blob storage (token leak)")
		return nil, false
	}
	if r.Header.Get("x-ms-version") == "" {
		s.blobViolation(w, r, "MissingRequiredHeader", "no x-ms-version header")
		return nil, false
	}
	name, _ := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(r.URL.EscapedPath(), "/blob/"), ".zip"))
	s.mu.Lock()
	a := s.byName[name]
	s.mu.Unlock()
	q := r.URL.Query()
	if a == nil || q.Get("sig") != a.sig || q.Get("sv") != "2024-11-04" || q.Get("se") == "" {
		s.blobViolation(w, r, "AuthenticationFailed", "signed URL query altered or unknown blob")
		return nil, false
	}
	return a, true
}

func (s *Server) putBlock(w http.ResponseWriter, r *http.Request, a *Artifact, body []byte) {
	id := r.URL.Query().Get("blockid")
	if _, err := base64.StdEncoding.DecodeString(id); err != nil || id == "" {
		s.blobViolation(w, r, "InvalidQueryParameterValue", "blockid %q is not base64", id)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.idLen == 0 {
		a.idLen = len(id)
	}
	if len(id) != a.idLen {
		s.blobViolation(w, r, "InvalidBlobOrBlock", "block ids of one blob must have equal length")
		return
	}
	a.blocks[id] = body
	w.WriteHeader(http.StatusCreated)
}

// blockListXML accepts every list kind Azure does; the fake keeps only
// staged blocks, so all three resolve the same way.
type blockListXML struct {
	XMLName     xml.Name `xml:"BlockList"`
	Latest      []string `xml:"Latest"`
	Committed   []string `xml:"Committed"`
	Uncommitted []string `xml:"Uncommitted"`
}

func (s *Server) putBlockList(w http.ResponseWriter, r *http.Request, a *Artifact, body []byte) {
	var list blockListXML
	if err := xml.Unmarshal(body, &list); err != nil {
		s.blobViolation(w, r, "InvalidXmlDocument", "%v", err)
		return
	}
	ids := append(append(list.Latest, list.Committed...), list.Uncommitted...)
	s.mu.Lock()
	defer s.mu.Unlock()
	var data []byte
	for _, id := range ids {
		b, ok := a.blocks[id]
		if !ok {
			s.blobViolation(w, r, "InvalidBlockList", "block %q was never staged", id)
			return
		}
		data = append(data, b...)
	}
	a.Data = append([]byte{}, data...)
	a.ContentType = r.Header.Get("x-ms-blob-content-type")
	a.blocks = map[string][]byte{}
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) putBlob(w http.ResponseWriter, r *http.Request, a *Artifact, body []byte) {
	if r.Header.Get("x-ms-blob-type") != "BlockBlob" {
		s.blobViolation(w, r, "MissingRequiredHeader", "Put Blob without x-ms-blob-type: BlockBlob")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a.Data = body
	a.ContentType = r.Header.Get("Content-Type")
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) blobViolation(w http.ResponseWriter, r *http.Request, code, format string, args ...any) {
	s.t.Helper()
	msg := fmt.Sprintf(format, args...)
	s.t.Errorf("artifacttest: blob %s: %s: %s", r.Method, code, msg)
	writeAzureError(w, r, Fault{Status: http.StatusBadRequest, Msg: code + ": " + msg})
}

func writeAzureError(w http.ResponseWriter, r *http.Request, f Fault) {
	code := "ServerBusy"
	if f.Status < 500 && f.Status != http.StatusTooManyRequests {
		code = "InvalidInput"
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("x-ms-error-code", code)
	w.WriteHeader(f.Status)
	var buf strings.Builder
	_ = xml.EscapeText(&buf, []byte(f.message(r)))
	fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><Error><Code>%s</Code><Message>%s</Message></Error>`, code, buf.String())
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
