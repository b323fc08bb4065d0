//! Private keys: reading the PEM forms Kubernetes tools write (PKCS#8, and
//! kubeadm's PKCS#1 RSA and SEC1 EC keys, rewrapped as PKCS#8), and telling
//! whether a key belongs to a certificate.

use rcgen::{KeyPair, PublicKeyData};
use x509_parser::prelude::*;

/// DER length octets.
fn der_len(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    der_len(content.len(), &mut out);
    out.extend_from_slice(content);
    out
}

/// Reads one TLV at the start of `der`: (tag, content, rest).
fn read_tlv(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];

/// PKCS#8 around a PKCS#1 or SEC1 key.
fn pkcs8(algorithm: &[u8], parameters: &[u8], key: &[u8]) -> Vec<u8> {
    let mut alg = tlv(0x06, algorithm);
    alg.extend_from_slice(parameters);
    let mut body = tlv(0x02, &[0]);
    body.extend(tlv(0x30, &alg));
    body.extend(tlv(0x04, key));
    tlv(0x30, &body)
}

/// The curve OID (with its tag) inside a SEC1 `ECPrivateKey`.
fn sec1_curve(der: &[u8]) -> Option<Vec<u8>> {
    let (_, mut seq, _) = read_tlv(der)?;
    while let Some((tag, content, rest)) = read_tlv(seq) {
        if tag == 0xa0 {
            let (t, oid, _) = read_tlv(content)?;
            return (t == 0x06).then(|| tlv(0x06, oid));
        }
        seq = rest;
    }
    None
}

/// A private key from PEM text.
pub fn load_key(pem_text: &str) -> Result<KeyPair, String> {
    let block = pem_block(pem_text).ok_or("no PEM block")?;
    let der = match block.0.as_str() {
        "PRIVATE KEY" => block.1,
        "RSA PRIVATE KEY" => pkcs8(RSA_ENCRYPTION, &[0x05, 0x00], &block.1),
        "EC PRIVATE KEY" => {
            let curve = sec1_curve(&block.1).ok_or("EC key without a named curve")?;
            pkcs8(EC_PUBLIC_KEY, &curve, &block.1)
        }
        other => return Err(format!("unsupported key type {other}")),
    };
    KeyPair::try_from(der.as_slice()).map_err(|e| e.to_string())
}

/// The first PEM block of a text: (label, DER).
pub fn pem_block(text: &str) -> Option<(String, Vec<u8>)> {
    let (_, pem) = parse_x509_pem(text.as_bytes()).ok()?;
    Some((pem.label, pem.contents))
}

/// The items of a DER SEQUENCE's content.
fn items(mut content: &[u8]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    while let Some((tag, value, rest)) = read_tlv(content) {
        out.push((tag, value));
        content = rest;
    }
    out
}

/// The public key (as a certificate's `subjectPublicKey` holds it) of a
/// private key, read from the key's own structure: PKCS#1 RSA keys carry
/// their modulus and exponent, SEC1 EC keys their public point. Needs no
/// cryptography, so it works for keys a signing library refuses (RSA 1024).
pub fn public_key_of(pem_text: &str) -> Result<Vec<u8>, String> {
    public_key_with_kind(pem_text).map(|(_, public)| public)
}

/// A private key's algorithm and size in bits, from its public half: `RSA`
/// (the modulus), `ECDSA` (the point), else `other` with 0 bits.
pub fn key_strength(pem_text: &str) -> Result<(&'static str, usize), String> {
    let (kind, public) = public_key_with_kind(pem_text)?;
    Ok(match kind {
        "rsa" => {
            let (_, body, _) = read_tlv(&public).ok_or("not DER")?;
            let modulus = items(body).first().map(|(_, n)| *n).unwrap_or_default();
            let significant = modulus.iter().skip_while(|b| **b == 0).count();
            ("RSA", significant * 8)
        }
        // An uncompressed point: 0x04, then x and y of the curve's size.
        "ec" => ("ECDSA", public.len().saturating_sub(1) / 2 * 8),
        _ => ("other", 0),
    })
}

fn public_key_with_kind(pem_text: &str) -> Result<(&'static str, Vec<u8>), String> {
    let (label, der) = pem_block(pem_text).ok_or("no PEM block")?;
    let (_, body, _) = read_tlv(&der).ok_or("not DER")?;
    let fields = items(body);
    let (kind, inner) = match label.as_str() {
        "RSA PRIVATE KEY" => ("rsa", der.as_slice()),
        "EC PRIVATE KEY" => ("ec", der.as_slice()),
        "PRIVATE KEY" => {
            // PKCS#8: version, algorithm, OCTET STRING with the inner key.
            let alg = fields.get(1).map(|(_, a)| items(a)).unwrap_or_default();
            let oid = alg.first().map(|(_, o)| *o).unwrap_or_default();
            let inner = fields.get(2).map(|(_, k)| *k).ok_or("no key in PKCS#8")?;
            match oid {
                RSA_ENCRYPTION => ("rsa", inner),
                EC_PUBLIC_KEY => ("ec", inner),
                _ => {
                    let key = KeyPair::try_from(der.as_slice()).map_err(|e| e.to_string())?;
                    return Ok(("other", key.der_bytes().to_vec()));
                }
            }
        }
        other => return Err(format!("unsupported key type {other}")),
    };
    let (_, body, _) = read_tlv(inner).ok_or("not DER")?;
    let fields = items(body);
    match kind {
        "rsa" => {
            let (Some((0x02, n)), Some((0x02, e))) = (fields.get(1), fields.get(2)) else {
                return Err("not an RSA private key".into());
            };
            let mut seq = tlv(0x02, n);
            seq.extend(tlv(0x02, e));
            Ok(("rsa", tlv(0x30, &seq)))
        }
        _ => {
            let public = fields
                .iter()
                .find(|(t, _)| *t == 0xa1)
                .and_then(|(_, c)| read_tlv(c))
                .filter(|(t, _, _)| *t == 0x03)
                .map(|(_, bits, _)| bits)
                .ok_or("EC key without its public point")?;
            // A BIT STRING starts with the count of unused bits.
            Ok(("ec", public.get(1..).unwrap_or_default().to_vec()))
        }
    }
}

/// Whether a private key's public half is the certificate's public key.
pub fn key_matches(pem_text: &str, cert: &X509Certificate<'_>) -> Result<bool, String> {
    key_matches_spki(pem_text, cert.public_key())
}

/// Whether a private key's public half is the public key `spki` holds.
pub fn key_matches_spki(pem_text: &str, spki: &SubjectPublicKeyInfo<'_>) -> Result<bool, String> {
    Ok(spki.subject_public_key.data.as_ref() == public_key_of(pem_text)?.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths() {
        let mut v = Vec::new();
        der_len(300, &mut v);
        assert_eq!(v, [0x82, 0x01, 0x2c]);
        assert_eq!(
            read_tlv(&tlv(0x04, &[7; 300])).map(|t| t.1.len()),
            Some(300)
        );
        assert!(read_tlv(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_none());
        assert!(load_key("nonsense").is_err());
    }
}
