//! Tiny but real documents for the demo data: PNG "ID card" images and one-page PDFs, generated
//! (no binary files in the repository).

/// A 96×60 RGB PNG that looks like the front (photo, text lines) or back (stripe, barcode) of
/// an ID card, tinted by `seed`.
pub fn id_card_png(seed: u32, back: bool) -> Vec<u8> {
    const W: u32 = 96;
    const H: u32 = 60;
    let tint = [(seed % 5) as u8 * 12, ((seed / 5) % 5) as u8 * 12, ((seed / 25) % 5) as u8 * 12];
    let paper = [225 - tint[0] / 2, 232 - tint[1] / 2, 240 - tint[2] / 2];
    let band = [40 + tint[0], 70 + tint[1], 120 + tint[2]];
    let ink = [50, 50, 60];
    let pixel = |x: u32, y: u32| -> [u8; 3] {
        if x == 0 || y == 0 || x == W - 1 || y == H - 1 {
            return [150, 150, 160];
        }
        if back {
            if (8..18).contains(&y) {
                return [30, 30, 30];
            }
            if (40..54).contains(&y) && (8..88).contains(&x) && (x * 7 + seed) % 3 != 0 {
                return ink;
            }
            paper
        } else {
            if y < 11 {
                return band;
            }
            if (16..50).contains(&y) && (6..30).contains(&x) {
                // The "photo": a head and shoulders on grey.
                let (dx, dy) = (x as i32 - 18, y as i32 - 27);
                let head = dx * dx + dy * dy < 36;
                let shoulders = y > 38 && (dx * dx) < (y as i32 - 30) * 8;
                return if head || shoulders { [110, 90, 80] } else { [190, 195, 200] };
            }
            let line_end = |row: u32| 60 + (seed.wrapping_mul(row + 3) % 28);
            for row in 0..4 {
                let top = 18 + row * 8;
                if (top..top + 3).contains(&y) && x >= 36 && x < line_end(row) {
                    return ink;
                }
            }
            paper
        }
    };
    let mut raw = Vec::with_capacity(((W * 3 + 1) * H) as usize);
    for y in 0..H {
        raw.push(0); // filter: none
        for x in 0..W {
            raw.extend_from_slice(&pixel(x, y));
        }
    }
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&W.to_be_bytes());
    ihdr.extend_from_slice(&H.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, no filter, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &zlib_stored(&raw));
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// zlib stream of uncompressed ("stored") deflate blocks: valid, simple, small enough here.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = if data.is_empty() { vec![&[]] } else { data.chunks(65_535).collect() };
    let last = blocks.len() - 1;
    for (i, block) in blocks.into_iter().enumerate() {
        out.push(u8::from(i == last));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// A one-page A4 PDF with a title and some lines of text (ASCII; other characters become `?`).
pub fn document_pdf(title: &str, lines: &[String]) -> Vec<u8> {
    let mut content = format!("BT /F1 18 Tf 72 770 Td ({}) Tj /F1 11 Tf", pdf_text(title));
    for line in lines {
        content.push_str(&format!(" 0 -22 Td ({}) Tj", pdf_text(line)));
    }
    content.push_str(" ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}

fn pdf_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '(' | ')' | '\\' => format!("\\{c}"),
            c if c.is_ascii() && !c.is_ascii_control() => c.to_string(),
            _ => "?".to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_is_well_formed() {
        let png = id_card_png(7, false);
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(&png[12..16], b"IHDR");
        assert!(png.ends_with(&[0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]), "IEND with its fixed CRC");
        assert_ne!(id_card_png(7, true), png);
    }

    #[test]
    fn checksums_match_known_values() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn pdf_has_a_consistent_xref() {
        let pdf = document_pdf("Certificate (test)", &["Line é".to_owned()]);
        let text = String::from_utf8(pdf.clone()).unwrap();
        assert!(text.starts_with("%PDF-1.4") && text.ends_with("%%EOF\n"));
        assert!(text.contains("Certificate \\(test\\)") && text.contains("Line ?"));
        let startxref: usize = text.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        assert!(text[startxref..].starts_with("xref"));
        let first_obj: usize = text[startxref..].lines().nth(4).unwrap()[..10].parse().unwrap();
        assert!(text[first_obj..].starts_with("2 0 obj"));
    }
}
