// vitte/release/detail/msi_schema.hpp - what a Windows Installer database
// holds, as msi_writer.ipp writes it and msi_reader.ipp expects it: the
// database's CLSID, column types and their widths in a table stream, the
// columns of each table a file install needs (Property, Directory,
// Component, File, Feature, FeatureComponents, CreateFolder, Media, the
// major upgrade's Upgrade and LaunchCondition) and the standard actions of
// the five sequence tables.
#ifndef VITTE_RELEASE_DETAIL_MSI_SCHEMA_HPP
#define VITTE_RELEASE_DETAIL_MSI_SCHEMA_HPP

#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::release::detail {
namespace msi {

// The root storage's CLSID of an installer database, {000C1084-0000-0000-C000-000000000046}.
inline constexpr std::uint8_t database_clsid[16] = {0x84, 0x10, 0x0C, 0x00, 0x00, 0x00, 0x00, 0x00,
                                                    0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};

// Column types: Windows Installer's bits (a key, nullable, a string or
// an integer of 2 or 4 bytes, localizable) and the width in the low byte.
inline constexpr std::uint16_t key = 0x2000, nullable = 0x1000, string = 0x0D00, localizable = 0x0F00;
inline constexpr std::uint16_t short_int = 0x0502, long_int = 0x0104;

struct column {
  const char* name;
  std::uint16_t type;
};

// The tables a file install needs, as wixl declares them.
inline constexpr column property_columns[] = {{"Property", key | string | 72}, {"Value", localizable}};
inline constexpr column directory_columns[] = {
    {"Directory", key | string | 72}, {"Directory_Parent", nullable | string | 72}, {"DefaultDir", localizable | 255}};
inline constexpr column component_columns[] = {
    {"Component", key | string | 72}, {"ComponentId", nullable | string | 38}, {"Directory_", string | 72},
    {"Attributes", short_int},        {"Condition", nullable | string | 255},  {"KeyPath", nullable | string | 72}};
inline constexpr column file_columns[] = {{"File", key | string | 72},          {"Component_", string | 72},
                                          {"FileName", localizable | 255},      {"FileSize", long_int},
                                          {"Version", nullable | string | 72},  {"Language", nullable | string | 20},
                                          {"Attributes", nullable | short_int}, {"Sequence", long_int}};
inline constexpr column feature_columns[] = {
    {"Feature", key | string | 38},         {"Feature_Parent", nullable | string | 38},
    {"Title", nullable | localizable | 64}, {"Description", nullable | localizable | 255},
    {"Display", nullable | short_int},      {"Level", short_int},
    {"Directory_", nullable | string | 72}, {"Attributes", short_int}};
inline constexpr column feature_components_columns[] = {{"Feature_", key | string | 38},
                                                        {"Component_", key | string | 72}};
inline constexpr column create_folder_columns[] = {{"Directory_", key | string | 72},
                                                   {"Component_", key | string | 72}};
inline constexpr column media_columns[] = {{"DiskId", key | short_int},
                                           {"LastSequence", long_int},
                                           {"DiskPrompt", nullable | localizable | 64},
                                           {"Cabinet", nullable | string | 255},
                                           {"VolumeLabel", nullable | string | 32},
                                           {"Source", nullable | string | 72}};
// A major upgrade, as WiX's MajorUpgrade writes it: FindRelatedProducts
// sets OLDER_VERSION_FOUND to the products of the same upgrade code with a
// lower version (RemoveExistingProducts then removes them) and
// NEWER_VERSION_FOUND to those with this version or a higher one (a launch
// condition then refuses the install).
inline constexpr column upgrade_columns[] = {{"UpgradeCode", key | string | 38},
                                             {"VersionMin", key | nullable | string | 20},
                                             {"VersionMax", key | nullable | string | 20},
                                             {"Language", key | nullable | localizable | 255},
                                             {"Attributes", key | long_int},
                                             {"Remove", nullable | localizable | 255},
                                             {"ActionProperty", string | 72}};
inline constexpr column launch_condition_columns[] = {{"Condition", key | string | 255},
                                                      {"Description", localizable | 255}};
inline constexpr int upgrade_migrate_features = 1, upgrade_only_detect = 2, upgrade_version_min_inclusive = 256;
inline constexpr text_view older_found = "OLDER_VERSION_FOUND", newer_found = "NEWER_VERSION_FOUND";
inline constexpr column sequence_columns[] = {
    {"Action", key | string | 72}, {"Condition", nullable | string | 255}, {"Sequence", nullable | short_int}};

struct action {
  const char* name;
  int sequence;
};
inline constexpr action install_execute[] = {
    {"FindRelatedProducts", 25},    {"LaunchConditions", 100},   {"ValidateProductID", 700},
    {"CostInitialize", 800},        {"FileCost", 900},           {"CostFinalize", 1000},
    {"MigrateFeatureStates", 1200}, {"InstallValidate", 1400},   {"RemoveExistingProducts", 1401},
    {"InstallInitialize", 1500},    {"ProcessComponents", 1600}, {"UnpublishFeatures", 1800},
    {"RemoveFiles", 3500},          {"RemoveFolders", 3600},     {"CreateFolders", 3700},
    {"InstallFiles", 4000},         {"RegisterUser", 6000},      {"RegisterProduct", 6100},
    {"PublishFeatures", 6300},      {"PublishProduct", 6400},    {"InstallFinalize", 6600}};
inline constexpr action install_ui[] = {
    {"FindRelatedProducts", 25}, {"LaunchConditions", 100}, {"MigrateFeatureStates", 1200}, {"ValidateProductID", 700},
    {"CostInitialize", 800},     {"FileCost", 900},         {"CostFinalize", 1000},         {"ExecuteAction", 1300}};
inline constexpr action admin_execute[] = {{"CostInitialize", 800},     {"FileCost", 900},
                                           {"CostFinalize", 1000},      {"InstallValidate", 1400},
                                           {"InstallInitialize", 1500}, {"InstallAdminPackage", 3900},
                                           {"InstallFiles", 4000},      {"InstallFinalize", 6600}};
inline constexpr action admin_ui[] = {
    {"CostInitialize", 800}, {"FileCost", 900}, {"CostFinalize", 1000}, {"ExecuteAction", 1300}};
inline constexpr action advertise_execute[] = {
    {"CostInitialize", 800},   {"CostFinalize", 1000},   {"InstallValidate", 1400}, {"InstallInitialize", 1500},
    {"PublishFeatures", 6300}, {"PublishProduct", 6400}, {"InstallFinalize", 6600}};

inline constexpr text_view cabinet_name = "product.cab";
inline constexpr text_view feature_name = "ProductFeature";

// The width of a column's cells in a table stream.
inline std::size_t width_of(std::uint16_t type, std::size_t string_ref) {
  if ((type & ~nullable) == 0x0900) return 2;  // a binary column: a stream's name, 2 bytes
  if ((type & 0x0800) != 0) return string_ref;
  return (type & 0xFF) <= 2 ? 2 : 4;
}

}  // namespace msi

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_MSI_SCHEMA_HPP
