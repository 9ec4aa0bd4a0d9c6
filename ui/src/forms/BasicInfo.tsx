import { DateField } from '../fields/DateField';
import { Picker } from '../fields/Picker';
import { TextField } from '../fields/TextField';
import { FIELD_LABELS as L, SECTION_LABELS } from '../state/labels';
import { countryOptions, roleTypeOptions } from '../state/options';
import { Section } from './Section';

export function BasicInfo({ base }: { base: string }) {
  const S = `${base}.basic_info`;
  return (
    <Section path={S} legend={SECTION_LABELS.basic_info} level="sub">
      <TextField path={`${S}.first_name_english`} label={L.first_name_english!} required />
      <TextField path={`${S}.last_name_english`} label={L.last_name_english!} required />
      <TextField path={`${S}.first_name`} label={L.first_name!} hint="In the local script, if different." />
      <TextField path={`${S}.last_name`} label={L.last_name!} />
      <DateField path={`${S}.birth_date`} label={L.birth_date!} required />
      <Picker path={`${S}.nationality`} label={L.nationality!} options={countryOptions.value} required />
      <Picker path={`${S}.role_type`} label={L.role_type!} options={roleTypeOptions.value} required hint="At least one Director or Legal Representative." />
    </Section>
  );
}
