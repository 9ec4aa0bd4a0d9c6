import { DateField } from '../fields/DateField';
import { DocumentSlot } from '../fields/DocumentSlot';
import { Picker } from '../fields/Picker';
import { TextField } from '../fields/TextField';
import { FIELD_LABELS as L, SECTION_LABELS } from '../state/labels';
import { countryOptions, idTypeOptions } from '../state/options';
import { Section } from './Section';

export function Identification({ base }: { base: string }) {
  const S = `${base}.identification`;
  return (
    <Section path={S} legend={SECTION_LABELS.identification} level="sub">
      <Picker path={`${S}.id_type`} label={L.id_type!} options={idTypeOptions.value} required />
      <TextField path={`${S}.id_number`} label={L.id_number!} required />
      <Picker path={`${S}.id_issuing_country_code`} label={L.id_issuing_country_code!} options={countryOptions.value} required />
      <div class="field-pair">
        <DateField path={`${S}.id_issue_date`} label={L.id_issue_date!} />
        <DateField path={`${S}.id_expiration_date`} label={L.id_expiration_date!} />
      </div>
      <div class="doc-pair field--wide" role="group" aria-label="ID document images">
        <DocumentSlot path={`${S}.id_document_front_file_id`} label={L.id_document_front_file_id!} hint="Uploaded as “Main page”." />
        <DocumentSlot path={`${S}.id_document_back_file_id`} label={L.id_document_back_file_id!} hint="Uploaded as “Back page”." />
      </div>
    </Section>
  );
}
