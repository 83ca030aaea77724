// nkey and .creds encodings. The vectors come from outside this code: the
// seed/public-key pair from the NATS server documentation's nkey example
// (the public key derived from that seed by OpenSSL), the others from
// Python's base64.b32encode and binascii.crc_hqx.
#include "nats/nkeys.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using nats::Errc;
using nats::nkeys::KeyType;

constexpr std::string_view kDocSeed = "SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY";
constexpr std::string_view kDocPublic = "UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4";
constexpr std::string_view kDocSeedRawHex =
    "29497ba00f41dd45936b4cc4bda1decb67c128e69fb3d490ee820daf7c318c0a";

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    out += kDigits[(static_cast<unsigned char>(c) >> 4) & 15];
    out += kDigits[static_cast<unsigned char>(c) & 15];
  }
  return out;
}

std::string counting_bytes() {
  std::string raw;
  for (int i = 0; i < 32; ++i) raw += static_cast<char>(i);
  return raw;
}

TEST(NkeysTest, Crc16IsXmodem) {
  EXPECT_EQ(nats::nkeys::crc16("123456789"), 0x31c3);
  EXPECT_EQ(nats::nkeys::crc16(""), 0);
}

TEST(NkeysTest, Base32RoundTripsWithoutPadding) {
  EXPECT_EQ(nats::nkeys::base32_encode("foobar"), "MZXW6YTBOI");
  auto back = nats::nkeys::base32_decode("MZXW6YTBOI");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "foobar");
  EXPECT_FALSE(nats::nkeys::base32_decode("mzxw").ok()) << "lower case is not base32 here";
  EXPECT_FALSE(nats::nkeys::base32_decode("MZ1W").ok());
}

TEST(NkeysTest, DecodesTheDocumentedUserSeed) {
  auto seed = nats::nkeys::decode_seed(kDocSeed);
  ASSERT_TRUE(seed.ok()) << seed.error().message;
  EXPECT_EQ(seed->type, KeyType::user);
  EXPECT_EQ(hex(seed->raw), kDocSeedRawHex);
}

TEST(NkeysTest, EncodesSeedsAndPublicKeys) {
  auto seed = nats::nkeys::encode_seed(KeyType::user, counting_bytes());
  ASSERT_TRUE(seed.ok());
  EXPECT_EQ(*seed, "SUAAAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4H776Y");
  auto account = nats::nkeys::encode_public_key(KeyType::account, counting_bytes());
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(*account, "AAAACAQDAQCQMBYIBEFAWDANBYHRAEISCMKBKFQXDAMRUGY4DUPB776S");
  auto decoded = nats::nkeys::decode_public_key(kDocPublic);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->type, KeyType::user);
  auto again = nats::nkeys::encode_public_key(KeyType::user, decoded->raw);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, kDocPublic);
  // Every type letter round-trips through a seed.
  for (KeyType t :
       {KeyType::account, KeyType::operator_, KeyType::user, KeyType::server, KeyType::cluster}) {
    auto s = nats::nkeys::encode_seed(t, counting_bytes());
    ASSERT_TRUE(s.ok());
    auto d = nats::nkeys::decode_seed(*s);
    ASSERT_TRUE(d.ok()) << *s;
    EXPECT_EQ(d->type, t);
    EXPECT_EQ(d->raw, counting_bytes());
  }
  EXPECT_FALSE(nats::nkeys::encode_seed(KeyType::user, "short").ok());
}

TEST(NkeysTest, RejectsBadSeeds) {
  std::string flipped(kDocSeed);
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  auto bad_crc = nats::nkeys::decode_seed(flipped);
  ASSERT_FALSE(bad_crc.ok());
  EXPECT_EQ(bad_crc.error().code, Errc::invalid_argument);
  EXPECT_NE(bad_crc.error().message.find("checksum"), std::string::npos);
  EXPECT_FALSE(nats::nkeys::decode_seed(kDocPublic).ok()) << "a public key is not a seed";
  EXPECT_FALSE(nats::nkeys::decode_seed("").ok());
  EXPECT_FALSE(nats::nkeys::decode_seed(kDocSeed.substr(0, 40)).ok());
  EXPECT_FALSE(nats::nkeys::decode_seed("not a seed at all!").ok());
}

TEST(NkeysTest, ParsesCredsFiles) {
  const std::string creds =
      "-----BEGIN NATS USER JWT-----\r\n"
      "eyJhbGciOiJlZDI1NTE5LW5rZXkiLCJ0eXAiOiJKV1QifQ.e30.c2ln\r\n"
      "------END NATS USER JWT------\r\n\r\n"
      "************************* IMPORTANT *************************\n"
      "NKEY Seed printed below can be used to sign and prove identity.\n\n"
      "-----BEGIN USER NKEY SEED-----\n"
      "  " +
      std::string(kDocSeed) +
      "\n"
      "------END USER NKEY SEED------\n";
  auto parsed = nats::nkeys::parse_creds(creds);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->jwt, "eyJhbGciOiJlZDI1NTE5LW5rZXkiLCJ0eXAiOiJKV1QifQ.e30.c2ln");
  EXPECT_EQ(parsed->seed, kDocSeed);

  auto no_seed = nats::nkeys::parse_creds(
      "-----BEGIN NATS USER JWT-----\nabc\n------END NATS USER JWT------\n");
  ASSERT_FALSE(no_seed.ok());
  EXPECT_EQ(no_seed.error().code, Errc::invalid_argument);
  EXPECT_NE(no_seed.error().message.find("seed"), std::string::npos);
  EXPECT_FALSE(nats::nkeys::parse_creds("").ok());
  auto bad_seed = nats::nkeys::parse_creds(
      "-----BEGIN NATS USER JWT-----\nabc\n------END------\n"
      "-----BEGIN USER NKEY SEED-----\nSUXYZ\n------END------\n");
  EXPECT_FALSE(bad_seed.ok());
}

}  // namespace
