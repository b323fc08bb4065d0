//! Reading a [`Node`] tree straight from a serde data format (JSON from the
//! API server, for admission), without an intermediate value tree. Such input
//! has no useful positions: every node gets the default position, and findings
//! name fields by their JSON path.
//!
//! `metadata.managedFields` is skipped, not stored: it records which client
//! set each field, no rule reads it, and it is often the largest part of an
//! object the API server sends.

use std::fmt;

use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};

use super::{CompactString, Entry, Map, Node, Pos, Value, shown_key};

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor { in_metadata: false })
    }
}

/// Reads one value; `in_metadata` is true for the value of a `metadata` key.
#[derive(Clone, Copy)]
struct NodeVisitor {
    in_metadata: bool,
}

impl<'de> DeserializeSeed<'de> for NodeVisitor {
    type Value = Node;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
}

fn node(value: Value) -> Node {
    Node::new(Pos::default(), value)
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(node(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(node(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(node(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(node(Value::Int(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(node(
            i64::try_from(v).map_or(Value::Float(v as f64), Value::Int),
        ))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(node(Value::Float(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(node(Value::Str(v.into())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(node(Value::Str(v.into())))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(NodeVisitor { in_metadata: false })? {
            items.push(item);
        }
        Ok(node(Value::Seq(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Node, A::Error> {
        let mut map = Map::default();
        while let Some(key) = access.next_key::<CompactString>()? {
            if self.in_metadata && key == "managedFields" {
                access.next_value::<IgnoredAny>()?;
                continue;
            }
            let value = access.next_value_seed(NodeVisitor {
                in_metadata: key == "metadata",
            })?;
            if map.entry(&key).is_some() {
                return Err(de::Error::custom(format!(
                    "duplicate key `{}`",
                    shown_key(&key)
                )));
            }
            map.push(Entry {
                key,
                key_pos: Pos::default(),
                value,
            });
        }
        Ok(node(Value::Map(map)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_reads_into_nodes() {
        let n: Node = serde_json::from_str(
            r#"{"a": [1, -2, 3.5, "x", true, null], "b": {"c": 18446744073709551615}}"#,
        )
        .unwrap();
        let a = n.get("a").unwrap().items();
        assert_eq!(a[0].as_i64(), Some(1));
        assert_eq!(a[1].as_i64(), Some(-2));
        assert_eq!(a[3].as_str(), Some("x"));
        assert!(a[4].is_true() && a[5].is_null());
        assert!(matches!(
            n.lookup(&["b", "c"]).unwrap().value,
            Value::Float(_)
        ));
        let n: Node = serde_json::from_str(
            r#"{"metadata": {"name": "x", "managedFields": [{"manager": "kubectl"}]}, "spec": {"managedFields": 1}}"#,
        )
        .unwrap();
        assert!(n.lookup(&["metadata", "managedFields"]).is_none());
        assert!(n.lookup(&["metadata", "name"]).is_some());
        assert!(
            n.lookup(&["spec", "managedFields"]).is_some(),
            "only metadata's is skipped"
        );
        let dup = serde_json::from_str::<Node>(r#"{"a": 1, "a": 2}"#).unwrap_err();
        assert!(dup.to_string().contains("duplicate key `a`"));
    }
}
