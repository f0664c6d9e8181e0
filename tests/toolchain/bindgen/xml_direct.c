/* The same walk as xml.cpp makes through its table, compiled against
 * libxml2's headers. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

int direct_walk(const char* doc_text, char* root_name, unsigned size, long* attributes) {
  xmlDocPtr doc = xmlReadMemory(doc_text, (int)strlen(doc_text), "doc.xml", 0, XML_PARSE_NONET);
  int elements = 0;
  if (doc == 0) return -1;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  strncpy(root_name, (const char*)root->name, size - 1);
  root_name[size - 1] = '\0';
  *attributes = 0;
  for (xmlNodePtr n = root->children; n != 0; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    ++elements;
    for (xmlAttrPtr a = n->properties; a != 0; a = a->next) *attributes += (long)strlen((const char*)a->name);
  }
  xmlFreeDoc(doc);
  return elements;
}
