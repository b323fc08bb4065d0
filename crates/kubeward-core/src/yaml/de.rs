//! Reading a [`Node`] tree straight from a serde data format (JSON from the
//! API server, for admission), without an intermediate value tree. Such input
//! has no useful positions: every node gets the default position, and findings
//! name fields by their JSON path.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Entry, Map, Node, Pos, Value};

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

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
        Node::deserialize(d)
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
        Ok(node(Value::Str(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(node(Value::Str(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(node(Value::Seq(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Node, A::Error> {
        let mut map = Map::default();
        while let Some(key) = access.next_key::<String>()? {
            let value: Node = access.next_value()?;
            if map.entry(&key).is_some() {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
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
        let dup = serde_json::from_str::<Node>(r#"{"a": 1, "a": 2}"#).unwrap_err();
        assert!(dup.to_string().contains("duplicate key `a`"));
    }
}
