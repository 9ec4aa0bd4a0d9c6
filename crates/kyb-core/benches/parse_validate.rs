//! Parse + validate 10,000 generated records, against parse alone.
//!
//! `cargo bench -p kyb-core --bench parse_validate` (README quotes the medians).

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kyb_core::model::{parse_strict, UpdateCustomerRequest};
use kyb_core::samples::valid_update;
use kyb_core::validation::{validate_update, ValidationContext};

const RECORDS: u64 = 10_000;

fn generated_records(today: NaiveDate) -> Vec<String> {
    (0..RECORDS)
        .map(|seed| serde_json::to_string(&valid_update(seed, today)).expect("sample serializes"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let ctx = ValidationContext::on(NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid date"));
    let records = generated_records(ctx.today);

    let mut group = c.benchmark_group("10k_records");
    group.sample_size(20);
    group.throughput(Throughput::Elements(RECORDS));
    group.bench_function("parse", |b| {
        b.iter(|| {
            for json in &records {
                black_box(parse_strict::<UpdateCustomerRequest>(json).expect("sample parses"));
            }
        })
    });
    group.bench_function("parse_and_validate", |b| {
        b.iter(|| {
            for json in &records {
                let record: UpdateCustomerRequest = parse_strict(json).expect("sample parses");
                let issues = validate_update(&record, &ctx);
                debug_assert!(issues.is_empty(), "{issues:?}");
                black_box(issues);
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
