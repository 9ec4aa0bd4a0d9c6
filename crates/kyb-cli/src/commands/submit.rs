//! `kyb submit FILE (--customer ID | --create) [--wait]`

use std::path::Path;
use std::time::Duration;

use kyb_core::client::{CustomerLookup, PartnerClient};
use kyb_core::model::{parse_strict, CreateCustomerRequest, Customer, UpdateCustomerRequest};
use kyb_core::validation::{check_create, check_update, ValidationContext};

use crate::cli::TargetArgs;
use crate::connection::client_for;
use crate::error::CliError;

const POLL_INTERVAL: Duration = Duration::from_millis(500);
const POLL_LIMIT: Duration = Duration::from_secs(120);

pub async fn run(
    path: &Path,
    customer_id: Option<&str>,
    create: bool,
    wait: bool,
    target: &TargetArgs,
) -> Result<u8, CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::ReadFile { path: path.into(), source })?;
    let ctx = ValidationContext::now();
    let client = client_for(target)?;
    // One key per invocation: a retry by the server or a proxy cannot apply it twice.
    let idempotency_key = uuid::Uuid::new_v4().to_string();
    let customer = if create {
        let body: CreateCustomerRequest =
            parse_strict(&text).map_err(|source| CliError::Parse { path: path.into(), source })?;
        let body = check_create(body, &ctx).map_err(|issues| CliError::Invalid { path: path.into(), issues })?;
        client.create_customer(&body, Some(&idempotency_key)).await?
    } else {
        let customer_id = customer_id.ok_or_else(|| CliError::Usage("give --customer ID or --create".into()))?;
        let body: UpdateCustomerRequest =
            parse_strict(&text).map_err(|source| CliError::Parse { path: path.into(), source })?;
        let body = check_update(body, &ctx).map_err(|issues| CliError::Invalid { path: path.into(), issues })?;
        client.update_customer(customer_id, &body, Some(&idempotency_key)).await?
    };
    let customer = if wait { wait_until_settled(&client, customer).await? } else { customer };
    println!("{}", serde_json::to_string_pretty(&customer).expect("customer serializes"));
    Ok(0)
}

async fn wait_until_settled(client: &PartnerClient, mut customer: Customer) -> Result<Customer, CliError> {
    let started = std::time::Instant::now();
    while !customer.status.is_settled() {
        if started.elapsed() > POLL_LIMIT {
            return Err(CliError::Usage(format!(
                "customer {} still Processing after {} s; check later with `kyb get`",
                customer.customer_id,
                POLL_LIMIT.as_secs()
            )));
        }
        tokio::time::sleep(POLL_INTERVAL).await;
        customer = client.get_customer(&CustomerLookup::CustomerId(customer.customer_id.clone())).await?;
    }
    Ok(customer)
}
