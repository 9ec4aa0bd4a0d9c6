//! Deterministic, realistic sample records that pass every validation rule.
//!
//! [`valid_update`] and [`valid_create`] derive everything from `seed` (no random-number crate):
//! the same seed and `today` always give the same record, and different seeds vary the country,
//! the business, its documents, the amount and 1 to 4 people. Used by the benchmark, the demos
//! and the property tests, which check that every sample validates clean.
//!
//! `today` should be a real-world date (years 1900 to 9000); dates are computed relative to it.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;

use crate::model::{
    AccountUsage, BasicInfo, BusinessDetails, BusinessPerson, CreateCustomerRequest, Identification, PrimaryContact,
    RegistrationAddress, ResidentialAddress, UpdateCustomerRequest,
};

/// A valid update body for `seed`, valid on `today`.
pub fn valid_update(seed: u64, today: NaiveDate) -> UpdateCustomerRequest {
    Generator::new(seed, today).update()
}

/// A valid create body for `seed`, valid on `today`: [`valid_update`] plus a partner customer ID.
pub fn valid_create(seed: u64, today: NaiveDate) -> CreateCustomerRequest {
    let sections = valid_update(seed, today);
    let mut mix = Mix::new(seed ^ 0x00C0_FFEE);
    let id = match mix.below(3) {
        0 => format!("cust-{:06}", mix.next() % 1_000_000),
        1 => format!("ACME_{:08X}", mix.next() as u32),
        _ => format!("partner.{}.{:04}", 2020 + mix.below(7), mix.below(10_000)),
    };
    CreateCustomerRequest::from_sections(Some(id), sections)
}

/// splitmix64: small, fast, well-distributed, enough for picking sample values.
struct Mix(u64);

impl Mix {
    fn new(seed: u64) -> Self {
        Mix(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// lo..=hi.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// `#` becomes a digit, `@` an upper-case letter.
    fn fill(&mut self, pattern: &str) -> String {
        pattern
            .chars()
            .map(|c| match c {
                '#' => char::from(b'0' + self.below(10) as u8),
                '@' => char::from(b'A' + self.below(26) as u8),
                other => other,
            })
            .collect()
    }
}

/// A person's names: English, then local script when the country writes names differently.
#[derive(Clone, Copy)]
struct Name {
    first: &'static str,
    last: &'static str,
    local: Option<(&'static str, &'static str)>,
}

const fn name(first: &'static str, last: &'static str) -> Name {
    Name {
        first,
        last,
        local: None,
    }
}

const fn local(first: &'static str, last: &'static str, local_first: &'static str, local_last: &'static str) -> Name {
    Name {
        first,
        last,
        local: Some((local_first, local_last)),
    }
}

struct Country {
    code: &'static str,
    currency: &'static str,
    /// Whether amounts in the currency have cents (JPY does not).
    cents: bool,
    tld: &'static str,
    /// Valid E.164 numbers; the last two digits are varied (all 100 variants are valid).
    phones: &'static [&'static str],
    streets: &'static [&'static str],
    city: &'static str,
    state: Option<&'static str>,
    postcode: Option<&'static str>,
    identifier_type: &'static str,
    identifier_pattern: &'static str,
    /// Company-form suffix for a limited company.
    company_suffix: &'static str,
    /// A local-script company name, for countries that register one.
    local_business_names: &'static [&'static str],
    names: &'static [Name],
    national_id_pattern: &'static str,
}

const COUNTRIES: &[Country] = &[
    Country {
        code: "US",
        currency: "USD",
        cents: true,
        tld: "com",
        phones: &["+12015550123", "+12125550100", "+14155550132"],
        streets: &["Fifth Avenue", "Market Street", "Main Street", "Madison Avenue"],
        city: "New York",
        state: Some("NY"),
        postcode: Some("10118"),
        identifier_type: "Employer Identification Number",
        identifier_pattern: "##-#######",
        company_suffix: "LLC",
        local_business_names: &[],
        names: &[
            name("Emily", "Carter"),
            name("Michael", "Nguyen"),
            name("Sarah", "Johnson"),
            name("David", "Okafor"),
        ],
        national_id_pattern: "###-##-####",
    },
    Country {
        code: "GB",
        currency: "GBP",
        cents: true,
        tld: "co.uk",
        phones: &["+447400123456", "+442071234567"],
        streets: &["Queen Street Place", "Baker Street", "King's Road", "Fenchurch Street"],
        city: "London",
        state: None,
        postcode: Some("EC4R 1BE"),
        identifier_type: "Business Registration",
        identifier_pattern: "########",
        company_suffix: "Ltd",
        local_business_names: &[],
        names: &[
            name("Oliver", "Bennett"),
            name("Amelia", "Hughes"),
            name("Priya", "Shah"),
            name("James", "O'Connor"),
        ],
        national_id_pattern: "@@######@",
    },
    Country {
        code: "DE",
        currency: "EUR",
        cents: true,
        tld: "de",
        phones: &["+4930123456", "+4915123456789"],
        streets: &["Friedrichstraße", "Unter den Linden", "Kurfürstendamm"],
        city: "Berlin",
        state: Some("Berlin"),
        postcode: Some("10117"),
        identifier_type: "Business Registration",
        identifier_pattern: "HRB ######",
        company_suffix: "GmbH",
        local_business_names: &[],
        names: &[
            name("Lukas", "Müller"),
            name("Anna", "Schmidt"),
            name("Jonas", "Weber"),
            name("Leonie", "Fischer"),
        ],
        national_id_pattern: "@##@#####",
    },
    Country {
        code: "FR",
        currency: "EUR",
        cents: true,
        tld: "fr",
        phones: &["+33123456789", "+33612345678"],
        streets: &["Rue de la Paix", "Avenue des Champs-Élysées", "Boulevard Haussmann"],
        city: "Paris",
        state: Some("Île-de-France"),
        postcode: Some("75002"),
        identifier_type: "Business Registration",
        identifier_pattern: "### ### ###",
        company_suffix: "SARL",
        local_business_names: &[],
        names: &[
            name("Camille", "Dubois"),
            name("Louis", "Martin"),
            name("Chloé", "Lefèvre"),
            name("Hugo", "Bernard"),
        ],
        national_id_pattern: "############",
    },
    Country {
        code: "SG",
        currency: "SGD",
        cents: true,
        tld: "com.sg",
        phones: &["+6561234567", "+6581234567"],
        streets: &["Raffles Place", "Orchard Road", "Shenton Way"],
        city: "Singapore",
        state: None,
        postcode: Some("048616"),
        identifier_type: "Business Registration",
        identifier_pattern: "20######@",
        company_suffix: "Pte. Ltd.",
        local_business_names: &[],
        names: &[
            name("Wei Ling", "Tan"),
            name("Arjun", "Pillai"),
            name("Nurul", "Aisyah"),
            name("Marcus", "Lim"),
        ],
        national_id_pattern: "S#######@",
    },
    Country {
        code: "HK",
        currency: "HKD",
        cents: true,
        tld: "com.hk",
        phones: &["+85221234567", "+85251234567"],
        streets: &[
            "Harbour Road, Wan Chai",
            "Queen's Road Central",
            "Nathan Road, Tsim Sha Tsui",
        ],
        city: "Hong Kong",
        state: None,
        postcode: None,
        identifier_type: "Business Registration",
        identifier_pattern: "########",
        company_suffix: "Limited",
        local_business_names: &["香港明德貿易有限公司", "港灣科技有限公司", "恒信物流有限公司"],
        names: &[
            name("Ka Ming", "Chan"),
            local("Wing Yan", "Au-Yeung", "詠欣", "歐陽"),
            name("Kevin", "Lau"),
            local("Tsz Ho", "Szeto", "子豪", "司徒"),
        ],
        national_id_pattern: "@######(#)",
    },
    Country {
        code: "CN",
        currency: "CNY",
        cents: true,
        tld: "cn",
        phones: &["+8613800138000", "+861012345678", "+8613123456789"],
        streets: &[
            "Keyuan Road, Nanshan District",
            "Century Avenue, Pudong",
            "Zhongguancun Street, Haidian",
        ],
        city: "Shenzhen",
        state: Some("Guangdong"),
        postcode: Some("518057"),
        identifier_type: "Unified Social Credit Code",
        identifier_pattern: "91440300MA5@#####",
        company_suffix: "Co., Ltd.",
        local_business_names: &["深圳市星河科技有限公司", "上海东方贸易有限公司", "北京华信咨询有限公司"],
        names: &[
            local("Nana", "Ouyang", "娜娜", "欧阳"),
            local("Jianguo", "Sima", "建国", "司马"),
            local("Xiaoming", "Shangguan", "晓明", "上官"),
            name("Wei", "Zhang"),
        ],
        national_id_pattern: "44030019##########",
    },
    Country {
        code: "JP",
        currency: "JPY",
        cents: false,
        tld: "co.jp",
        phones: &["+81312345678", "+819012345678"],
        streets: &["Marunouchi, Chiyoda-ku", "Ginza, Chuo-ku", "Roppongi, Minato-ku"],
        city: "Tokyo",
        state: Some("Tokyo"),
        postcode: Some("100-0005"),
        identifier_type: "Business Registration",
        identifier_pattern: "#############",
        company_suffix: "K.K.",
        local_business_names: &["株式会社青葉商事", "さくらテクノロジー株式会社"],
        names: &[
            local("Haruto", "Tanaka", "陽翔", "田中"),
            local("Yui", "Sato", "結衣", "佐藤"),
            local("Kenta", "Suzuki", "健太", "鈴木"),
            local("Misaki", "Takahashi", "美咲", "高橋"),
        ],
        national_id_pattern: "############",
    },
    Country {
        code: "AU",
        currency: "AUD",
        cents: true,
        tld: "com.au",
        phones: &["+61212345678", "+61412345678"],
        streets: &["George Street", "Collins Street", "Pitt Street"],
        city: "Sydney",
        state: Some("NSW"),
        postcode: Some("2000"),
        identifier_type: "Business Registration",
        identifier_pattern: "## ### ### ###",
        company_suffix: "Pty Ltd",
        local_business_names: &[],
        names: &[
            name("Jack", "Wilson"),
            name("Charlotte", "Brown"),
            name("Noah", "Taylor"),
            name("Mia", "Kowalski"),
        ],
        national_id_pattern: "########",
    },
    Country {
        code: "CA",
        currency: "CAD",
        cents: true,
        tld: "ca",
        phones: &["+15062345678", "+14165550123"],
        streets: &["King Street West", "Bay Street", "Rue Sainte-Catherine"],
        city: "Toronto",
        state: Some("ON"),
        postcode: Some("M5X 1A9"),
        identifier_type: "Certificate of Incorporation",
        identifier_pattern: "#######-#",
        company_suffix: "Inc.",
        local_business_names: &[],
        names: &[
            name("Liam", "Tremblay"),
            name("Olivia", "Roy"),
            name("Ethan", "Singh"),
            name("Ava", "MacDonald"),
        ],
        national_id_pattern: "#########",
    },
    Country {
        code: "NL",
        currency: "EUR",
        cents: true,
        tld: "nl",
        phones: &["+31101234567", "+31612345678"],
        streets: &["Herengracht", "Keizersgracht", "Damrak"],
        city: "Amsterdam",
        state: Some("North Holland"),
        postcode: Some("1016 BR"),
        identifier_type: "VAT Registration",
        identifier_pattern: "NL#########B01",
        company_suffix: "B.V.",
        local_business_names: &[],
        names: &[
            name("Daan", "de Vries"),
            name("Sophie", "Jansen"),
            name("Sem", "van Dijk"),
            name("Emma", "Bakker"),
        ],
        national_id_pattern: "@@#######",
    },
    Country {
        code: "AE",
        currency: "AED",
        cents: true,
        tld: "ae",
        phones: &["+97122345678", "+971501234567"],
        streets: &["Sheikh Zayed Road", "Al Maktoum Road", "Jumeirah Beach Road"],
        city: "Dubai",
        state: Some("Dubai"),
        postcode: None,
        identifier_type: "Business Registration",
        identifier_pattern: "######",
        company_suffix: "FZ-LLC",
        local_business_names: &["شركة الخليج للتجارة", "مؤسسة النخيل"],
        names: &[
            local("Omar", "Haddad", "عمر", "حداد"),
            local("Layla", "Mansour", "ليلى", "منصور"),
            name("Rahul", "Menon"),
            name("Fatima", "Al Suwaidi"),
        ],
        national_id_pattern: "784-####-#######-#",
    },
    Country {
        code: "CH",
        currency: "CHF",
        cents: true,
        tld: "ch",
        phones: &["+41212345678", "+41781234567"],
        streets: &["Bahnhofstrasse", "Rue du Rhône", "Marktgasse"],
        city: "Zürich",
        state: Some("ZH"),
        postcode: Some("8001"),
        identifier_type: "Business Registration",
        identifier_pattern: "CHE-###.###.###",
        company_suffix: "AG",
        local_business_names: &[],
        names: &[
            name("Luca", "Meier"),
            name("Lea", "Keller"),
            name("Noah", "Brunner"),
            name("Elena", "Rossi"),
        ],
        national_id_pattern: "@#######",
    },
    Country {
        code: "IE",
        currency: "EUR",
        cents: true,
        tld: "ie",
        phones: &["+35312345678", "+353850123456"],
        streets: &["Grand Canal Square", "Grafton Street", "St Stephen's Green"],
        city: "Dublin",
        state: Some("County Dublin"),
        postcode: Some("D02 P820"),
        identifier_type: "Business Registration",
        identifier_pattern: "######",
        company_suffix: "Limited",
        local_business_names: &[],
        names: &[
            name("Aoife", "Murphy"),
            name("Conor", "Kelly"),
            name("Siobhán", "Byrne"),
            name("Seán", "Walsh"),
        ],
        national_id_pattern: "#######@",
    },
];

/// (what the business does, industry code, account usage)
const TRADES: &[(&str, &str, &str)] = &[
    (
        "Online retail of home electronics and accessories",
        "5732",
        "E-Commerce",
    ),
    (
        "Software development and subscription software for logistics companies",
        "5734",
        "Financial Services",
    ),
    (
        "Import and export of industrial machinery parts",
        "5085",
        "Cross-Border Trade",
    ),
    ("Freight forwarding and customs brokerage", "4214", "Supplier Payments"),
    (
        "Management and IT consulting for mid-size manufacturers",
        "8742",
        "Payroll",
    ),
    (
        "Wholesale of apparel and textiles to online marketplaces",
        "5137",
        "Marketplace Payouts",
    ),
    (
        "Payment facilitation for independent restaurants",
        "6012",
        "Financial Services",
    ),
    (
        "Group treasury services for a family of trading companies",
        "6211",
        "Treasury Management",
    ),
];

const BRAND_WORDS: &[&str] = &[
    "Northwind",
    "Bluewater",
    "Silverline",
    "Harbor",
    "Evergreen",
    "Summit",
    "Crescent",
    "Redwood",
    "Lumen",
    "Atlas",
    "Meridian",
    "Orchid",
];
const TRADE_WORDS: &[&str] = &[
    "Trading",
    "Technologies",
    "Logistics",
    "Consulting",
    "Commerce",
    "Holdings",
    "Partners",
];

struct Generator {
    mix: Mix,
    today: NaiveDate,
}

impl Generator {
    fn new(seed: u64, today: NaiveDate) -> Self {
        Generator {
            mix: Mix::new(seed),
            today,
        }
    }

    fn update(&mut self) -> UpdateCustomerRequest {
        let country = self.mix.pick(COUNTRIES);
        let trade = *self.mix.pick(TRADES);
        let (business_details, domain) = self.business_details(country);
        UpdateCustomerRequest {
            business_details: Some(business_details),
            registration_address: Some(self.registration_address(country)),
            account_usage: Some(self.account_usage(country, trade)),
            primary_contact: Some(self.primary_contact(country, &domain)),
            business_person_list: Some(self.persons(country)),
        }
    }

    fn business_details(&mut self, country: &Country) -> (BusinessDetails, String) {
        let brand = *self.mix.pick(BRAND_WORDS);
        let trade_word = *self.mix.pick(TRADE_WORDS);
        // Mostly limited companies, as in real KYB traffic.
        let business_type = *self.mix.pick(&[
            "Limited Liability Company",
            "Limited Liability Company",
            "Limited Liability Company",
            "Corporation",
            "Public Limited Company",
            "Limited Partnership",
            "Limited Liability Partnership",
            "Sole Proprietorship",
            "General Partnership",
            "Non-Profit Organization",
            "Trust",
            "Cooperative",
        ]);
        let english_name = match business_type {
            "Limited Liability Company" => format!("{brand} {trade_word} {}", country.company_suffix),
            "Corporation" => format!("{brand} {trade_word} Corporation"),
            "Public Limited Company" => format!("{brand} Group PLC"),
            "Limited Partnership" => format!("{brand} Capital LP"),
            "Limited Liability Partnership" => format!("{brand} & Partners LLP"),
            "Sole Proprietorship" => format!("{brand} {trade_word}"),
            "General Partnership" => format!("{brand} & Co."),
            "Non-Profit Organization" => format!("{brand} Foundation"),
            "Trust" => format!("{brand} Family Trust"),
            _ => format!("{brand} Growers Cooperative"),
        };
        let domain = format!("{}{}.{}", brand.to_lowercase(), trade_word.to_lowercase(), country.tld);
        let local_name = (!country.local_business_names.is_empty() && self.mix.chance(80))
            .then(|| self.mix.pick(country.local_business_names).to_string());
        let documents = (0..self.mix.below(5)).map(|_| self.file_id()).collect::<Vec<_>>();
        let start = self.days_ago(200, 7300);
        let expiry = self.mix.chance(50).then(|| self.days_ahead(180, 3650));
        let details = BusinessDetails {
            business_name_english: Some(english_name),
            business_type: Some(business_type.to_owned()),
            website: self.mix.chance(80).then(|| format!("https://www.{domain}")),
            business_identifier_type: Some(if self.mix.chance(85) {
                country.identifier_type.to_owned()
            } else {
                "Tax Identification Number".to_owned()
            }),
            business_identifier_number: Some(self.mix.fill(country.identifier_pattern)),
            business_identifier_country_code: Some(country.code.to_owned()),
            business_identifier_document_list: (!documents.is_empty() || self.mix.chance(50)).then_some(documents),
            business_name: local_name,
            business_identifier_start_date: Some(self.at_some_time(start)),
            business_identifier_expiry_date: expiry.map(|d| self.at_some_time(d)),
        };
        (details, domain)
    }

    fn registration_address(&mut self, country: &Country) -> RegistrationAddress {
        RegistrationAddress {
            registration_address_line1: Some(self.street(country)),
            registration_address_city: Some(country.city.to_owned()),
            registration_address_state: country.state.map(str::to_owned),
            registration_address_postcode: country.postcode.map(str::to_owned),
            registration_address_country_code: Some(country.code.to_owned()),
        }
    }

    fn account_usage(&mut self, country: &Country, (description, industry, usage): (&str, &str, &str)) -> AccountUsage {
        let in_dollars = self.mix.chance(30);
        let (currency, cents) = if in_dollars {
            ("USD", true)
        } else {
            (country.currency, country.cents)
        };
        let amount = if cents {
            // 5,000.00 to 5,000,000.00; sometimes a round figure.
            let value = self.mix.between(500_000, 500_000_000);
            if self.mix.chance(30) {
                Decimal::new((value / 100) as i64, 0)
            } else {
                Decimal::new(value as i64, 2)
            }
        } else {
            Decimal::new(self.mix.between(500_000, 500_000_000) as i64, 0)
        };
        AccountUsage {
            operating_country: Some(
                if self.mix.chance(85) {
                    country.code
                } else {
                    self.mix.pick(COUNTRIES).code
                }
                .to_owned(),
            ),
            goods_service_description: Some(description.to_owned()),
            industry_category_code: Some(industry.to_owned()),
            account_usage_product_reference: Some(usage.to_owned()),
            estimated_monthly_revenue_currency: Some(currency.to_owned()),
            estimated_monthly_revenue_amount: Some(amount),
        }
    }

    fn primary_contact(&mut self, country: &Country, domain: &str) -> PrimaryContact {
        let mailbox = *self.mix.pick(&["finance", "compliance", "accounts", "hello", "ops"]);
        PrimaryContact {
            contact_phone: Some(self.phone(country)),
            contact_email: Some(format!("{mailbox}@{domain}")),
        }
    }

    fn persons(&mut self, country: &Country) -> Vec<BusinessPerson> {
        let count = 1 + self.mix.below(4);
        let mut names_left: Vec<Name> = country.names.to_vec();
        (0..count)
            .map(|index| {
                // Foreign nationals now and then; their names come from their own country.
                let home = if self.mix.chance(80) {
                    country
                } else {
                    self.mix.pick(COUNTRIES)
                };
                let name = if home.code == country.code && !names_left.is_empty() {
                    names_left.remove(self.mix.below(names_left.len()))
                } else {
                    *self.mix.pick(home.names)
                };
                let role = if index == 0 {
                    *self.mix.pick(&["Director", "Legal Representative"])
                } else {
                    *self.mix.pick(crate::validation::tables::ROLE_TYPES)
                };
                self.person(country, home, name, role, index)
            })
            .collect()
    }

    fn person(&mut self, country: &Country, home: &Country, name: Name, role: &str, index: usize) -> BusinessPerson {
        let age_days = 365 * self.mix.between(25, 75) + self.mix.between(0, 300);
        let birth = self
            .today
            .checked_sub_days(Days::new(age_days))
            .unwrap_or(NaiveDate::MIN);
        let (id_type, issuer, number) = match self.mix.below(10) {
            0..=4 => ("Passport", home, self.mix.fill("@########")),
            5..=7 => ("National ID", home, self.mix.fill(home.national_id_pattern)),
            8 if home.code != country.code => ("Residence Permit", country, self.mix.fill("RP########")),
            _ => ("Driver's License", home, self.mix.fill("DL@#######")),
        };
        // Index in the number keeps two people of one record apart even when the digits repeat.
        let number = format!("{number}{index}");
        let issue = self.days_ago(30, 3000);
        let expiry = self.days_ahead(30, 3650);
        let two_sided = id_type != "Passport";
        let lives_at_home = self.mix.chance(75);
        BusinessPerson {
            basic_info: Some(BasicInfo {
                first_name_english: Some(name.first.to_owned()),
                last_name_english: Some(name.last.to_owned()),
                birth_date: Some(self.at_some_time(birth)),
                nationality: Some(home.code.to_owned()),
                role_type: Some(role.to_owned()),
                first_name: name.local.map(|(first, _)| first.to_owned()),
                last_name: name.local.map(|(_, last)| last.to_owned()),
            }),
            residential_address: self.mix.chance(85).then(|| {
                let place = if lives_at_home { home } else { country };
                ResidentialAddress {
                    residential_address_line1: Some(self.street(place)),
                    residential_address_city: Some(place.city.to_owned()),
                    residential_address_postcode: place.postcode.map(str::to_owned),
                    residential_address_country_code: Some(place.code.to_owned()),
                    residential_address_state: place.state.map(str::to_owned),
                }
            }),
            identification: Some(Identification {
                id_type: Some(id_type.to_owned()),
                id_number: Some(number),
                id_issuing_country_code: Some(issuer.code.to_owned()),
                id_expiration_date: Some(self.at_some_time(expiry)),
                id_issue_date: Some(self.at_some_time(issue)),
                id_document_front_file_id: Some(self.file_id()),
                id_document_back_file_id: two_sided.then(|| self.file_id()),
            }),
        }
    }

    fn street(&mut self, country: &Country) -> String {
        let street = *self.mix.pick(country.streets);
        let number = self.mix.between(1, 250);
        match country.code {
            "DE" | "NL" | "CH" => format!("{street} {number}"),
            "JP" => format!(
                "{}-{}-{} {street}",
                self.mix.between(1, 9),
                self.mix.between(1, 20),
                self.mix.between(1, 30)
            ),
            "CN" => format!("No. {number} {street}"),
            _ => format!("{number} {street}"),
        }
    }

    fn phone(&mut self, country: &Country) -> String {
        let base = *self.mix.pick(country.phones);
        format!("{}{:02}", &base[..base.len() - 2], self.mix.below(100))
    }

    fn file_id(&mut self) -> String {
        format!("file_{:016x}", self.mix.next())
    }

    fn days_ago(&mut self, min: u64, max: u64) -> NaiveDate {
        let days = self.mix.between(min, max);
        self.today.checked_sub_days(Days::new(days)).unwrap_or(NaiveDate::MIN)
    }

    fn days_ahead(&mut self, min: u64, max: u64) -> NaiveDate {
        let days = self.mix.between(min, max);
        self.today.checked_add_days(Days::new(days)).unwrap_or(NaiveDate::MAX)
    }

    /// The date at a whole-second time of day (UTC), as the API sends them.
    fn at_some_time(&mut self, date: NaiveDate) -> DateTime<Utc> {
        let seconds = self.mix.below(86_400) as u32;
        let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).unwrap_or(NaiveTime::MIN);
        date.and_time(time).and_utc()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_record_and_seeds_vary() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        assert_eq!(valid_update(42, today), valid_update(42, today));
        assert_ne!(valid_update(42, today), valid_update(43, today));
        let countries: std::collections::HashSet<_> = (0..200)
            .map(|seed| {
                valid_update(seed, today)
                    .business_details
                    .unwrap()
                    .business_identifier_country_code
                    .unwrap()
            })
            .collect();
        assert!(countries.len() >= 10, "{countries:?}");
    }

    #[test]
    fn phone_bases_have_room_for_two_varied_digits() {
        for country in COUNTRIES {
            for phone in country.phones {
                assert!(phone.len() > 6 && phone.starts_with('+'), "{phone}");
            }
        }
    }
}
