//! One method per partner-API endpoint.

use std::io;
use std::pin::Pin;
use std::str::FromStr;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderValue;
use reqwest::multipart::{Form, Part};
use reqwest::{Body, Method, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::mpsc;
use url::Url;

use super::config::{upload_timeout, MAX_UPLOAD_BYTES};
use super::error::ClientError;
use super::response::{handle, transport_error, CallContext};
use super::PartnerClient;
use crate::model::{CreateCustomerRequest, Customer, FileType, FileUploadResponse, UpdateCustomerRequest};
use crate::validation::Validated;

/// How to find a customer: the partner's id or our own reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CustomerLookup {
    CustomerId(String),
    PartnerCustomerId(String),
}

impl CustomerLookup {
    fn parameter(&self) -> (&'static str, &str) {
        match self {
            CustomerLookup::CustomerId(id) => ("customer_id", id),
            CustomerLookup::PartnerCustomerId(id) => ("partner_customer_id", id),
        }
    }
}

/// A `fileType` label checked against the six documented values (exact, case-sensitive).
pub fn parse_file_type(label: &str) -> Result<FileType, ClientError> {
    FileType::from_str(label).map_err(|err| ClientError::InvalidFileType { given: err.given })
}

/// Refuse a document larger than [`MAX_UPLOAD_BYTES`] (`InvalidInput` naming `file`), so a
/// caller can check a file's size before reading it; [`PartnerClient::upload_file`] checks too.
pub fn check_upload_size(size: u64) -> Result<(), ClientError> {
    if size > MAX_UPLOAD_BYTES as u64 {
        return Err(ClientError::InvalidInput {
            field: "file".into(),
            message: format!(
                "the file is {size} bytes; a document can have at most {MAX_UPLOAD_BYTES} bytes ({} MiB)",
                MAX_UPLOAD_BYTES / (1024 * 1024)
            ),
        });
    }
    Ok(())
}

impl PartnerClient {
    /// Whether the partner API can be reached: `GET` the base URL without credentials. Any HTTP
    /// answer (even 401 or 404) means reachable; a connection failure or a timeout is the error.
    pub async fn probe(&self) -> Result<(), ClientError> {
        let ctx = CallContext {
            resource: "base URL".to_owned(),
            scrubber: &self.scrubber,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
        };
        match self.http.request(Method::GET, self.base_url.clone()).send().await {
            Ok(_answer) => Ok(()),
            Err(err) => Err(transport_error(err, &ctx)),
        }
    }

    /// `GET /api/customers/detail?customer_id=…` or `?partner_customer_id=…`.
    pub async fn get_customer(&self, lookup: &CustomerLookup) -> Result<Customer, ClientError> {
        let (name, value) = lookup.parameter();
        non_empty(name, value)?;
        let mut url = self.endpoint(&["api", "customers", "detail"])?;
        url.query_pairs_mut().append_pair(name, value);
        let request = self.http.request(Method::GET, url);
        self.send(request, format!("customer with {name} {value:?}")).await
    }

    /// `POST /api/customers/{customer_id}/update` with a validated body.
    pub async fn update_customer(
        &self,
        customer_id: &str,
        body: &Validated<UpdateCustomerRequest>,
        idempotency_key: Option<&str>,
    ) -> Result<Customer, ClientError> {
        non_empty("customer_id", customer_id)?;
        if customer_id == "." || customer_id == ".." {
            return Err(ClientError::InvalidInput { field: "customer_id".into(), message: "`.` and `..` are not customer ids".into() });
        }
        let url = self.endpoint(&["api", "customers", customer_id, "update"])?;
        let request = self.json_request(url, body.get(), idempotency_key)?;
        self.send(request, format!("customer with customer_id {customer_id:?}")).await
    }

    /// `POST /api/customers/create` with a validated body (carrying `partner_customer_id`).
    pub async fn create_customer(
        &self,
        body: &Validated<CreateCustomerRequest>,
        idempotency_key: Option<&str>,
    ) -> Result<Customer, ClientError> {
        let url = self.endpoint(&["api", "customers", "create"])?;
        let request = self.json_request(url, body.get(), idempotency_key)?;
        self.send(request, "create-customer endpoint at POST /api/customers/create (check the base URL)".to_owned()).await
    }

    /// `POST /api/files/upload` as multipart `file` + `fileType`. A file larger than
    /// [`MAX_UPLOAD_BYTES`] is refused before anything is sent; the timeout grows with the size
    /// ([`upload_timeout`]). The request body shares `bytes` (a [`Bytes`] is counted, not
    /// copied), so a caller keeping them for its local copy holds the document once.
    pub async fn upload_file(
        &self,
        file_name: &str,
        bytes: impl Into<Bytes>,
        file_type: FileType,
    ) -> Result<FileUploadResponse, ClientError> {
        let bytes: Bytes = bytes.into();
        let length = bytes.len() as u64;
        self.upload_body(file_name, Body::from(bytes), length, file_type).await
    }

    /// [`Self::upload_file`] of `length` bytes that arrive as chunks on `chunks` (read from a
    /// staged file while the request is sent): the document is never whole in memory. Chunks
    /// that add up to another length, or an `Err` among them, fail the request.
    pub async fn upload_file_stream(
        &self,
        file_name: &str,
        length: u64,
        chunks: mpsc::Receiver<io::Result<Bytes>>,
        file_type: FileType,
    ) -> Result<FileUploadResponse, ClientError> {
        let body = Body::wrap(ChunkBody { chunks, remaining: length });
        self.upload_body(file_name, body, length, file_type).await
    }

    async fn upload_body(
        &self,
        file_name: &str,
        body: Body,
        length: u64,
        file_type: FileType,
    ) -> Result<FileUploadResponse, ClientError> {
        non_empty("file name", file_name)?;
        check_upload_size(length)?;
        let timeout = upload_timeout(self.timeout, length as usize);
        let part = Part::stream_with_length(body, length)
            .file_name(file_name.to_owned())
            .mime_str(mime_for(file_name))
            .map_err(|err| ClientError::InvalidInput { field: "file".into(), message: err.to_string() })?;
        let form = Form::new().part("file", part).text("fileType", file_type.label());
        let url = self.endpoint(&["api", "files", "upload"])?;
        let request = self.http.request(Method::POST, url).multipart(form).timeout(timeout);
        let resource = "file upload endpoint at POST /api/files/upload (check the base URL)".to_owned();
        self.send_within(request, resource, timeout).await
    }

    /// [`Self::upload_file`] with the `fileType` as text: an unknown label is refused with
    /// [`ClientError::InvalidFileType`] before anything is sent.
    pub async fn upload_file_labelled(
        &self,
        file_name: &str,
        bytes: impl Into<Bytes>,
        file_type: &str,
    ) -> Result<FileUploadResponse, ClientError> {
        let file_type = parse_file_type(file_type)?;
        self.upload_file(file_name, bytes, file_type).await
    }

    /// The base URL with `segments` appended, each percent-encoded as one path segment.
    fn endpoint(&self, segments: &[&str]) -> Result<Url, ClientError> {
        let mut url = self.base_url.clone();
        url.path_segments_mut()
            .map_err(|()| ClientError::InvalidUrl { reason: "the base URL cannot have a path".into() })?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    fn json_request<T: Serialize>(
        &self,
        url: Url,
        body: &T,
        idempotency_key: Option<&str>,
    ) -> Result<RequestBuilder, ClientError> {
        let json = serde_json::to_vec(body)
            .map_err(|err| ClientError::InvalidInput { field: "body".into(), message: err.to_string() })?;
        let mut request = self
            .http
            .request(Method::POST, url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(json);
        if let Some(key) = idempotency_key {
            let invalid = |message: &str| ClientError::InvalidInput { field: "Idempotency-Key".into(), message: message.into() };
            if key.trim().is_empty() {
                return Err(invalid("is empty"));
            }
            let value = HeaderValue::from_str(key).map_err(|_| invalid("contains characters that cannot be sent in an HTTP header"))?;
            request = request.header("Idempotency-Key", value);
        }
        Ok(request)
    }

    async fn send<T: DeserializeOwned>(&self, request: RequestBuilder, resource: String) -> Result<T, ClientError> {
        self.send_within(request, resource, self.timeout).await
    }

    /// [`Self::send`] for a request whose own timeout is `timeout` (a timeout error names it).
    async fn send_within<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
        resource: String,
        timeout: Duration,
    ) -> Result<T, ClientError> {
        let ctx = CallContext {
            resource,
            scrubber: &self.scrubber,
            timeout,
            connect_timeout: self.connect_timeout,
        };
        let request = request.header("X-API-Key", self.api_key.clone()).header("X-API-Secret", self.api_secret.clone());
        let response = request.send().await.map_err(|err| transport_error(err, &ctx))?;
        let result = handle(response, &ctx).await;
        if let Err(err) = &result {
            tracing::debug!(kind = %err.kind(), "partner API call failed");
        }
        result
    }
}

fn non_empty(field: &str, value: &str) -> Result<(), ClientError> {
    if value.trim().is_empty() {
        Err(ClientError::InvalidInput { field: field.to_owned(), message: "is empty".into() })
    } else {
        Ok(())
    }
}

fn mime_for(file_name: &str) -> &'static str {
    let ext = file_name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "tif" | "tiff" => "image/tiff",
        _ => "application/octet-stream",
    }
}

/// A request body of chunks received from a channel, exactly `remaining` bytes long (the
/// multipart part announced that length: more or fewer is an error, never a short file).
struct ChunkBody {
    chunks: mpsc::Receiver<io::Result<Bytes>>,
    remaining: u64,
}

impl http_body::Body for ChunkBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, io::Error>>> {
        match self.chunks.poll_recv(context) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => {
                if chunk.len() as u64 > self.remaining {
                    return Poll::Ready(Some(Err(io::Error::other("the document is longer than announced"))));
                }
                self.remaining -= chunk.len() as u64;
                Poll::Ready(Some(Ok(http_body::Frame::data(chunk))))
            }
            Poll::Ready(Some(Err(err))) => Poll::Ready(Some(Err(err))),
            Poll::Ready(None) if self.remaining > 0 => {
                Poll::Ready(Some(Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the document ended early"))))
            }
            Poll::Ready(None) => Poll::Ready(None),
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ClientConfig;
    use crate::credentials::ApiCredentials;

    fn client(base: &str) -> PartnerClient {
        let credentials = ApiCredentials { api_key: "k".into(), api_secret: "s".into() };
        PartnerClient::new(ClientConfig::new(Url::parse(base).unwrap(), credentials)).unwrap()
    }

    #[test]
    fn customer_id_is_one_encoded_segment() {
        let url = client("http://127.0.0.1:1/prefix/").endpoint(&["api", "customers", "a/b c?d#e", "update"]).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:1/prefix/api/customers/a%2Fb%20c%3Fd%23e/update");
        let url = client("http://127.0.0.1:1").endpoint(&["api", "files", "upload"]).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:1/api/files/upload");
    }

    #[test]
    fn file_type_labels_are_exact() {
        assert_eq!(parse_file_type("Main page").unwrap(), FileType::MainPage);
        let err = parse_file_type("main page").unwrap_err();
        assert_eq!(err.field(), Some("fileType"));
        assert!(err.to_string().contains("fileType"));
    }

    #[test]
    fn the_upload_limit_is_inclusive() {
        assert!(check_upload_size(0).is_ok());
        assert!(check_upload_size(MAX_UPLOAD_BYTES as u64).is_ok());
        let err = check_upload_size(MAX_UPLOAD_BYTES as u64 + 1).unwrap_err();
        assert_eq!(err.field(), Some("file"));
        assert_eq!(err.kind(), crate::error::ErrorKind::InvalidInput);
    }

    #[tokio::test]
    async fn an_oversized_upload_is_refused_before_anything_is_sent() {
        // Port 1 on loopback: nothing listens, so any attempt to send would be a network error.
        let too_big = vec![0u8; MAX_UPLOAD_BYTES + 1];
        let err = client("http://127.0.0.1:1").upload_file("scan.pdf", too_big, FileType::Invoice).await.unwrap_err();
        assert_eq!(err.field(), Some("file"), "{err}");
        let at_limit = vec![0u8; MAX_UPLOAD_BYTES];
        let err = client("http://127.0.0.1:1").upload_file("scan.pdf", at_limit, FileType::Invoice).await.unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::Network, "{err}");
    }

    #[test]
    fn debug_hides_credentials() {
        let credentials = ApiCredentials { api_key: "canary-key-1".into(), api_secret: "canary-secret-2".into() };
        let client = PartnerClient::new(ClientConfig::new(Url::parse("https://h/").unwrap(), credentials.clone())).unwrap();
        let shown = format!("{client:?} {:?}", ClientConfig::new(Url::parse("https://h/").unwrap(), credentials));
        assert!(!shown.contains("canary"), "{shown}");
    }

    #[test]
    fn unusable_credentials_are_refused_without_echo() {
        let credentials = ApiCredentials { api_key: "bad\nkey".into(), api_secret: "s".into() };
        let err = PartnerClient::new(ClientConfig::new(Url::parse("https://h/").unwrap(), credentials)).unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::CredentialsMissing);
        assert!(!err.to_string().contains("bad"));
    }
}
