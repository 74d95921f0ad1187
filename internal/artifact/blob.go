package artifact

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// azureVersion is the Blob service REST version we speak. Azure SDKs always
// send x-ms-version; a SAS request without it falls back to the SAS's sv.
const azureVersion = "2024-11-04"

// defaultBlockSize matches @actions/artifact's upload chunk (8 MiB).
const defaultBlockSize = 8 << 20

// uploadBlob stores zip at the signed URL as a block blob, the way the Azure
// SDK's uploadStream does in @actions/artifact: one Put Block per chunk, then
// Put Block List. A single Put Blob would be simpler, but act's and older
// Gitea's emulators keep only bytes sent with comp=block, so a Put Blob
// would leave an empty artifact there. Each request is retried on its own;
// re-putting a block with the same id replaces it, so retries are safe.
//
// The signed URL carries its own authorization (SAS); the runtime token is
// never sent to blob storage.
func (c *Client) uploadBlob(ctx context.Context, signedURL string, zip []byte) error {
	base, err := url.Parse(signedURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return fmt.Errorf("signed upload URL is not an http(s) URL")
	}
	var ids []string
	for off := 0; off < len(zip); off += c.blockSize {
		id := blockID(len(ids))
		chunk := zip[off:min(off+c.blockSize, len(zip))]
		err := c.retry(ctx, func(ctx context.Context) error {
			return c.putBlock(ctx, base, id, chunk)
		})
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	return c.retry(ctx, func(ctx context.Context) error {
		return c.putBlockList(ctx, base, ids)
	})
}

// blockID is the base64 id of block n. Azure requires all ids of a blob to
// have the same length, hence the zero padding (50,000 blocks at most).
func blockID(n int) string {
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "%06d", n))
}

func (c *Client) putBlock(ctx context.Context, base *url.URL, id string, chunk []byte) error {
	target := withQuery(base, "comp=block&blockid="+url.QueryEscape(id))
	req, err := c.blobRequest(ctx, target, chunk)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	return c.sendBlob(req, "PutBlock")
}

// blockList is the Put Block List body. Latest means "the most recently
// uploaded version of this block", which is what a retried block is.
type blockList struct {
	XMLName xml.Name `xml:"BlockList"`
	Latest  []string `xml:"Latest"`
}

func (c *Client) putBlockList(ctx context.Context, base *url.URL, ids []string) error {
	body, err := xml.Marshal(blockList{Latest: ids})
	if err != nil {
		return fmt.Errorf("PutBlockList: encode: %w", err)
	}
	body = append([]byte(xml.Header), body...)
	req, err := c.blobRequest(ctx, withQuery(base, "comp=blocklist"), body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	// The content type the blob is served with on download.
	req.Header.Set("x-ms-blob-content-type", "application/zip")
	return c.sendBlob(req, "PutBlockList")
}

func (c *Client) blobRequest(ctx context.Context, target string, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, target, bytes.NewReader(body))
	if err != nil {
		// The error would quote the signed URL.
		return nil, fmt.Errorf("build blob request for %s", stripQuery(target))
	}
	req.Header.Set("x-ms-version", azureVersion)
	req.Header.Set("User-Agent", c.userAgent)
	return req, nil
}

func (c *Client) sendBlob(req *http.Request, op string) error {
	data, resp, err := c.do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusOK {
		return nil
	}
	return c.azureError(op, resp, data)
}

// azureError reads the Blob service error body:
// <Error><Code>…</Code><Message>…</Message></Error>.
func (c *Client) azureError(op string, resp *http.Response, data []byte) error {
	e := &RequestError{Op: op, Status: resp.StatusCode, retryAfter: parseRetryAfter(resp.Header)}
	var body struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	if xml.Unmarshal(data, &body) == nil && body.Code != "" {
		e.Code, e.Msg = body.Code, c.redact.String(snippet([]byte(body.Message)))
	} else {
		e.Code, e.Msg = resp.Header.Get("x-ms-error-code"), c.redact.String(snippet(data))
	}
	return e
}

// withQuery appends extra to the URL's raw query. The signed part is kept
// byte for byte: decoding and re-encoding it could change the signature.
func withQuery(base *url.URL, extra string) string {
	u := *base
	u.RawQuery = strings.TrimSuffix(u.RawQuery, "&")
	if u.RawQuery != "" {
		extra = "&" + extra
	}
	u.RawQuery += extra
	return u.String()
}

// signature returns the sig parameter of a signed URL, the part that must
// never be logged.
func signature(signedURL string) string {
	u, err := url.Parse(signedURL)
	if err != nil {
		return ""
	}
	return u.Query().Get("sig")
}
