//! `kyb get --customer-id ID | --partner-customer-id ID`

use kyb_core::client::CustomerLookup;

use crate::cli::{LookupArgs, TargetArgs};
use crate::connection::client_for;
use crate::error::CliError;

pub async fn run(lookup: LookupArgs, sections: bool, target: &TargetArgs) -> Result<u8, CliError> {
    let lookup = match (lookup.customer_id, lookup.partner_customer_id) {
        (Some(id), _) => CustomerLookup::CustomerId(id),
        (None, Some(id)) => CustomerLookup::PartnerCustomerId(id),
        (None, None) => return Err(CliError::Usage("give --customer-id or --partner-customer-id".into())),
    };
    let customer = client_for(target)?.get_customer(&lookup).await?;
    let printed = if sections {
        serde_json::to_string_pretty(&customer.sections())
    } else {
        serde_json::to_string_pretty(&customer)
    };
    println!("{}", printed.expect("customer serializes"));
    Ok(0)
}
