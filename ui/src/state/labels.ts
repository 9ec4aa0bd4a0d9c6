/** Human labels for every section and field, shared by the forms, the summary and the diff. */

import { parsePath } from './paths';

export const SECTION_LABELS: Record<string, string> = {
  business_details: 'Business details',
  registration_address: 'Registration address',
  account_usage: 'Account usage',
  primary_contact: 'Primary contact',
  business_person_list: 'Legal representatives',
  basic_info: 'Basic information',
  residential_address: 'Residential address',
  identification: 'Identification',
};

export const FIELD_LABELS: Record<string, string> = {
  // business_details
  business_name_english: 'Business name (English)',
  business_type: 'Business type',
  website: 'Website',
  business_identifier_type: 'Identifier type',
  business_identifier_number: 'Identifier number',
  business_identifier_country_code: 'Identifier issuing country',
  business_identifier_document_list: 'Business documents',
  business_name: 'Business name (local)',
  business_identifier_start_date: 'Identifier start date',
  business_identifier_expiry_date: 'Identifier expiry date',
  // registration_address
  registration_address_line1: 'Address line 1',
  registration_address_city: 'City',
  registration_address_state: 'State / province',
  registration_address_postcode: 'Postcode',
  registration_address_country_code: 'Country',
  // account_usage
  operating_country: 'Operating country',
  goods_service_description: 'Goods and services',
  industry_category_code: 'Industry category code',
  account_usage_product_reference: 'Product',
  estimated_monthly_revenue_currency: 'Monthly revenue currency',
  estimated_monthly_revenue_amount: 'Estimated monthly revenue',
  // primary_contact
  contact_phone: 'Phone',
  contact_email: 'Email',
  // basic_info
  first_name_english: 'First name (English)',
  last_name_english: 'Last name (English)',
  birth_date: 'Date of birth',
  nationality: 'Nationality',
  role_type: 'Role',
  first_name: 'First name (local)',
  last_name: 'Last name (local)',
  // residential_address
  residential_address_line1: 'Address line 1',
  residential_address_city: 'City',
  residential_address_postcode: 'Postcode',
  residential_address_country_code: 'Country',
  residential_address_state: 'State / province',
  // identification
  id_type: 'ID type',
  id_number: 'ID number',
  id_issuing_country_code: 'ID issuing country',
  id_expiration_date: 'ID expiry date',
  id_issue_date: 'ID issue date',
  id_document_front_file_id: 'ID front image',
  id_document_back_file_id: 'ID back image',
  // a new customer's target
  partner_customer_id: 'Partner customer ID',
};

export function fieldLabel(key: string): string {
  return FIELD_LABELS[key] ?? SECTION_LABELS[key] ?? key;
}

/**
 * A label for any record path, for the error summary and the diff table:
 * `business_person_list[1].identification.id_number` → `Person 2 · Identification · ID number`.
 */
export function labelForPath(path: string): string {
  let segs;
  try {
    segs = parsePath(path);
  } catch {
    return path;
  }
  const parts: string[] = [];
  let prevKey = '';
  for (const seg of segs) {
    if (typeof seg === 'number') {
      if (prevKey === 'business_person_list') {
        parts[parts.length - 1] = `Person ${seg + 1}`;
      } else if (prevKey === 'business_identifier_document_list') {
        parts[parts.length - 1] = `Business document ${seg + 1}`;
      } else {
        parts.push(`#${seg + 1}`);
      }
    } else {
      parts.push(fieldLabel(seg));
      prevKey = seg;
    }
  }
  return parts.join(' · ') || 'Record';
}

/** How a person is named in buttons and headings: "Jane Doe", or "Person 2" before a name is typed. */
export function personName(person: unknown, index: number): string {
  const info = typeof person === 'object' && person !== null ? (person as { basic_info?: unknown }).basic_info : undefined;
  const get = (k: string) => {
    const v = typeof info === 'object' && info !== null ? (info as Record<string, unknown>)[k] : undefined;
    return typeof v === 'string' ? v.trim() : '';
  };
  const name = [get('first_name_english'), get('last_name_english')].filter(Boolean).join(' ');
  return name || [get('first_name'), get('last_name')].filter(Boolean).join(' ') || `Person ${index + 1}`;
}
