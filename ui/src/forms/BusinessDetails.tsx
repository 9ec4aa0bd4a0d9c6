import { DateField } from '../fields/DateField';
import { DocumentList } from '../fields/DocumentList';
import { Picker } from '../fields/Picker';
import { TextField } from '../fields/TextField';
import { FIELD_LABELS as L, SECTION_LABELS } from '../state/labels';
import { businessIdentifierTypeOptions, businessTypeOptions, countryOptions } from '../state/options';
import { Section } from './Section';

const S = 'business_details';

export function BusinessDetails() {
  return (
    <Section path={S} legend={SECTION_LABELS[S]}>
      <TextField path={`${S}.business_name_english`} label={L.business_name_english!} required />
      <TextField path={`${S}.business_name`} label={L.business_name!} hint="As registered, in the local script." />
      <Picker path={`${S}.business_type`} label={L.business_type!} options={businessTypeOptions.value} required />
      <TextField path={`${S}.website`} label={L.website!} type="url" hint="https://…" />
      <Picker path={`${S}.business_identifier_type`} label={L.business_identifier_type!} options={businessIdentifierTypeOptions.value} required />
      <TextField path={`${S}.business_identifier_number`} label={L.business_identifier_number!} required />
      <Picker path={`${S}.business_identifier_country_code`} label={L.business_identifier_country_code!} options={countryOptions.value} required hint="ISO 3166-1 alpha-2, e.g. US" />
      <div class="field-pair">
        <DateField path={`${S}.business_identifier_start_date`} label={L.business_identifier_start_date!} />
        <DateField path={`${S}.business_identifier_expiry_date`} label={L.business_identifier_expiry_date!} />
      </div>
      <DocumentList
        path={`${S}.business_identifier_document_list`}
        label={L.business_identifier_document_list!}
        hint="File IDs of registration documents (up to 10). Uploads are sent as “Business Registration” or “Article of Association”."
      />
    </Section>
  );
}
